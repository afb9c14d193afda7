import io
import sys

from _tools import llm, square

print(llm("a"), square(3), sep=" | ", end=" <<\n")
print(*[square(i) for i in range(4)], sep=",")
buf = io.StringIO()
print("to buffer", llm("b"), file=buf)
print(buf.getvalue().strip().upper())
print("err line", square(5), file=sys.stderr, sep="~")
print(end="")
print()
print("last", end="")
print()
