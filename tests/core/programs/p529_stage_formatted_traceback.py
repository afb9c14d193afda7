"""Compiled in stages: a traceback formatted in a later stage, of a failing call and of a local
error, and a stack listed there, show the module's frame once, at the source's lines."""
import traceback

from _tools import fail, llm

first = llm("one")
print("first", first.startswith("ans"))
rows = []
for i in range(3):
    rows.append(i)
print("rows", rows)
data = {"a": 1}
print("data", data)
more = [r + 1 for r in rows]
print("more", more)
total = sum(more)
print("total", total)


def helper(key):
    return data[key]


try:
    helper("missing")
except KeyError:
    print(traceback.format_exc())
try:
    answer = fail("boom")
    print(len(first))
    print(answer)
except ValueError:
    print(traceback.format_exc())
print([(f.name, f.lineno) for f in traceback.extract_stack()])
second = llm("two")
print("second", second.startswith("ans"))
try:
    third = fail(second)
    print(third)
except ValueError:
    print(traceback.format_exc())
