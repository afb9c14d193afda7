"""Module level: a suppressing with and a try/finally around loops and calls; the module's
names afterwards are those plain Python leaves, and no helper name shows up in globals()."""
from contextlib import suppress

from _tools import fail, fail_if, llm

total = 0
seen = []
with suppress(KeyError):
    for x in [1, 2, 3]:
        total += fail_if(x, 3)
        seen.append(x)
print("total", total, seen)

word = "w0"
with suppress(ValueError):
    word = llm("m")
    other = fail(word)
    word = "after"
print("word", word.startswith("ans"), "other" in globals())

state = "s0"
try:
    try:
        state = llm("s")
        state = fail(state)
    finally:
        print("finally", state.startswith("ans"))
except ValueError as e:
    print("caught", e, state.startswith("ans"))

print(sorted(k for k in globals() if k.startswith(("__opp_", "__opportune_try"))))
print("end")
