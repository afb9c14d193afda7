"""A finally that returns, or breaks out of a loop, swallows the failure as a suppressing
manager does: the value it returns and the code after the loop see the names as plain Python
left them at the failing call; a return in the body before the failure is met is overridden."""
from _tools import fail, fail_if, llm


def finally_returns():
    t = 1
    try:
        t = fail("x")
    finally:
        return t


def body_returns_finally_reads():
    r = "r0"
    try:
        r = llm("q")
        r = fail(r)
        return "body"
    finally:
        return r.startswith("ans")


def break_in_finally(items, bad):
    last = None
    for x in items:
        try:
            last = fail_if(x, bad)
        finally:
            if x == bad:
                break
    return last


def continue_in_finally(items, bad):
    out = []
    for x in items:
        v = "v0"
        try:
            v = fail_if(x, bad)
        finally:
            out.append(v)
            continue
    return out


print(finally_returns())
print(body_returns_finally_reads())
print(break_in_finally([1, 2, 3], 2))
print(continue_in_finally([1, 2, 3], 2))
print("end")
