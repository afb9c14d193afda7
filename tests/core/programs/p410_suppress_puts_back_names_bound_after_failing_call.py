"""A with body whose manager suppresses a failing call: the code after the with sees every
name as plain Python left it at the failing call: bound before it (kept), from it or after it
(put back, or unbound again), at module level and in a function."""
from contextlib import suppress

from _tools import fail, llm

s = "before"
with suppress(ValueError):
    s = fail("boom")
print("after", s)

a = "a0"
with suppress(ValueError):
    a = llm("first")
    b = fail("second")
    a = "overwritten"
    c = 3
print("module", a.startswith("ans"), "b" in globals(), "c" in globals())


def in_function(n):
    total = 0
    with suppress(ValueError):
        total += n
        word = llm("w")
        total += 100
        fail(word)
        total += 1000
        word = "late"
    return total, word.startswith("ans")


print("function", in_function(5))


def augmented():
    count = 1
    with suppress(ValueError):
        count += len(fail("x"))
    return count


print("augmented", augmented())
print("end")
