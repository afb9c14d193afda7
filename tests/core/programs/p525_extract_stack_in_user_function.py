"""``traceback.extract_stack()`` and ``print_stack()`` in a user function list the program's
frames only."""
import sys
import traceback

from _tools import llm


def where(tag):
    names = [(f.name, f.lineno, f.line) for f in traceback.extract_stack()]
    print(tag, names[-3:])
    traceback.print_stack(file=sys.stdout, limit=3)


def helper(x):
    where("helper")
    return llm(x)


value = helper("a")
where("top")
print(len(value))
