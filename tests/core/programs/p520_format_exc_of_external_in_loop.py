"""A program prints ``traceback.format_exc()`` for a failing external caught in a loop: the text
is plain Python's (the program's frame, the decorator's entry, the tool's frame)."""
import traceback

from _tools import fail, llm

for i in range(3):
    try:
        if i == 1:
            fail(f"item {i}")
        print("ok", llm(f"item {i}"))
    except ValueError:
        print(traceback.format_exc())
print("done")
