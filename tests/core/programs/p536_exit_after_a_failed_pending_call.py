"""The program prints, makes a call that fails while the program goes on, and then raises
``SystemExit``: plain Python never got to the exit. It reported the failure at its call,
with the frames of that call and no other exception in its chain, and exited with status 1."""
from _tools import fail, llm

first = llm("first")
print("first:", first)
lost = fail("early")
after = llm("after")
print("after:", after)
raise SystemExit(4)
