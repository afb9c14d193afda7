"""The report of an uncaught failure of an external, chained with ``raise ... from``, written
where the program sent stderr: every line is plain Python's, frames included."""
import sys

from _tools import fail, llm

sys.stderr = sys.stdout


def inner(t):
    x = fail(t)
    y = llm(t)
    return y + x


def outer():
    try:
        return inner("a")
    except ValueError as e:
        raise RuntimeError("outer failed") from e


v = llm("q")
print(len(v))
outer()
