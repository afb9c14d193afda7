"""Suppressing with bodies with := (also in a comprehension), a failure met inside the body by
using the failed value, several managers in one with, and a suppressed exception that is not a
call's failure (nothing to put back: plain Python ran the calls before it)."""
from contextlib import nullcontext, suppress

from _tools import fail, fail_if, llm


def walrus():
    n = "n0"
    with suppress(ValueError):
        if (n := llm("w")) and (m := fail(n)):
            n = "inside"
    return n.startswith("ans"), "m" in locals()


def walrus_in_comprehension(bad):
    last = -1
    with suppress(KeyError):
        values = [(last := fail_if(x, bad)) for x in range(4)]
    return last, "values" in locals()


def forced_in_body():
    s = "s0"
    u = "u0"
    with suppress(ValueError):
        s = fail("forced")
        u = s.upper()
    return s, u


def two_managers():
    got = "g0"
    with nullcontext("ctx") as ctx, suppress(ValueError):
        got = llm(ctx)
        got = fail(got)
    return got.startswith("ans")


def other_exception():
    a = "a0"
    with suppress(ZeroDivisionError):
        a = llm("z")
        b = 1 / 0
    return a.startswith("ans"), "b" in locals()


print(walrus())
print(walrus_in_comprehension(2))
print(forced_in_body())
print(two_managers())
print(other_exception())
print("end")
