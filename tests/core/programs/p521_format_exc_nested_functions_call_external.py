"""``traceback.format_exc()`` of a failing external called two user functions deep, caught in
the caller of both: every program frame down to the call, as plain Python shows them."""
import traceback

from _tools import fail, llm


def inner(topic):
    note = llm(topic)
    return fail(topic + "!") + note


def outer(topic):
    first = llm("intro " + topic)
    return first + inner(topic)


for topic in ["a", "b"]:
    try:
        print(outer(topic))
    except ValueError as e:
        print("caught", e)
        print(traceback.format_exc(), end="")
print("done")
