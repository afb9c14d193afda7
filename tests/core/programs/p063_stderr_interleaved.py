import sys

from _tools import llm

print("out 1")
print("err 1", file=sys.stderr)
a = llm("x")
print("out 2", a)
sys.stderr.write("err 2 " + a + "\n")
print("out 3", llm("y"), flush=True)
print("err 3", llm("z"), file=sys.stderr)
sys.stdout.write("out 4\n")
