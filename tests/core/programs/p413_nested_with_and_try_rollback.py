"""Nested with and try bodies: an inner suppress that does not match passes the failure to an
outer one that does, a with inside a try, a try/finally inside a with; each place sees the
names as plain Python left them."""
from contextlib import suppress

from _tools import fail, llm


def inner_does_not_match():
    n = 0
    with suppress(ValueError):
        with suppress(KeyError):
            n = 1
            n = len(fail("a"))
            n = 2
        n = 3
    return n


def with_inside_try():
    label = "start"
    try:
        with suppress(KeyError):
            label = llm("l")
            fail(label)
            label = "after"
    except ValueError:
        return "handler", label.startswith("ans")
    return "none", label


def finally_inside_with():
    seen = []
    k = "k0"
    with suppress(ValueError):
        try:
            k = fail("in try")
        finally:
            seen.append(k)
        k = "after try"
    return seen, k


def suppressed_then_later_call():
    r = "r0"
    with suppress(ValueError):
        r = fail("first")
    r2 = llm(r)
    return r, r2.startswith("ans")


print(inner_does_not_match())
print(with_inside_try())
print(finally_inside_with())
print(suppressed_then_later_call())
print("end")
