"""Compiled in stages: line numbers seen from a later stage (a traceback, a frame, a warning)
are the source's lines."""
import sys
import traceback
import warnings

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
frame = sys._getframe()
print("frame", frame.f_lineno, frame.f_code.co_name)
try:
    data["missing"]
except KeyError as e:
    tb = e.__traceback__
    print("tb", tb.tb_lineno, traceback.extract_tb(tb)[-1].lineno)
try:
    fail("boom")
except ValueError as e:
    print("call failure", e, traceback.extract_tb(e.__traceback__)[-1].lineno)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warnings.warn("careful")
print("warning line", caught[0].lineno, caught[0].message)
second = llm("two")
print("second", second.startswith("ans"))
print("end", sys._getframe().f_lineno)
raise RuntimeError("the end at line 44")
