import sys

from _tools import llm, score

a = llm("before exit")
print(a)
code = score(a) % 7 + 3
print("exiting with", code)
sys.exit(code)
print("never")
