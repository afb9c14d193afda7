"""A failing call whose value is used lines after the call: the traceback shows the call's
line, as plain Python raised there."""
import traceback

from _tools import fail, llm

try:
    a = llm("one")
    b = fail("two")
    c = llm("three")
    print(len(a))
    print(len(c))
    print(b.upper())
except ValueError:
    print(traceback.format_exc())


def work():
    x = fail("inside")
    y = llm("after")
    return y + x


try:
    value = work()
    print("got", value[:3])
except ValueError as e:
    print("".join(traceback.format_exception(e)))
