"""try/finally without handlers: the finally block sees the names as plain Python left them at
the failing call, then the failure goes on to the caller's handler; the same at module level
inside an outer try whose handler also sees them."""
from _tools import fail, llm


def f():
    t = 1
    try:
        t = fail("x")
    finally:
        print("finally", t)


try:
    f()
except ValueError as e:
    print("caught", e)


def g(items):
    seen = []
    last = None
    try:
        for item in items:
            last = llm(item)
            seen.append(last)
        last = fail("after loop")
        extra = "never"
    finally:
        print("g finally", len(seen), last.startswith("ans"), "extra" in locals())
    return seen


try:
    g(["p", "q"])
except ValueError as e:
    print("g caught", e)

x = "x0"
try:
    try:
        x = llm("one")
        y = fail("two")
        x = "three"
    finally:
        print("module finally", x.startswith("ans"), "y" in globals())
        z = "set in finally"
except ValueError as e:
    print("module caught", e, x.startswith("ans"), z)
print("end")
