"""Failures that surface after the call: an operation on a call's result applied lazily inside
a function the program called, a pure function of that result, a value returned from a
function and used by its caller, a call in a deferred branch, a call in a comprehension. Each
formatted traceback shows the frames plain Python shows at the point of failure."""
import traceback

from _tools import fail, llm, score


def get(topic):
    v = fail(topic)
    return v


def parse(text):
    return int(text)


def use():
    try:
        r = get("a")
        n = llm("b")
        print(len(n))
        print(r.upper())
    except ValueError:
        print(traceback.format_exc())
    try:
        a = llm("x")
        k = parse(a)
        print(k + 1)
    except ValueError:
        print(traceback.format_exc())
    try:
        s = score("x")
        q = [10 // (s - s)]
        print(q)
    except ZeroDivisionError:
        print(traceback.format_exc())
    try:
        s = score("y")
        if s > 0:
            t = fail("in arm")
            print(t)
        print("after")
    except ValueError:
        print(traceback.format_exc())


use()
try:
    vals = [fail(str(i)) for i in range(2)]
except ValueError:
    print(traceback.format_exc())
