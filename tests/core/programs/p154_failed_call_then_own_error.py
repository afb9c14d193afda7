"""A call fails, then the program raises an error of its own: plain Python raised the call's."""
from _tools import fail, llm

print(llm("before"))
r = fail("the call")
x = 1 / 0
