"""A command-line tool installs its own sys.excepthook; an uncaught failure of a call is
reported by that hook, as Python does."""
import sys

from _tools import fail, llm


def report(kind, exc, tb):
    print(f"fatal: {kind.__name__}: {exc}", file=sys.stderr)


sys.excepthook = report
print(llm("plan"))
answer = fail("the model is down")
print("not reached", answer)
