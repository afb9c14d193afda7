import sys

from _tools import score, llm

for i in range(4):
    s = score(f"item {i}")
    if i % 2:
        print(f"warn {i}: {s}", file=sys.stderr)
    else:
        print(f"info {i}: {s}")
print(llm("done"), file=sys.stderr)
print("bye")
