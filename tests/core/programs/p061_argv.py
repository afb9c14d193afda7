import sys

from _tools import llm

print(sys.argv[1:])
print(len(sys.argv), sys.argv[0].endswith("p061_argv.py"))
for arg in sys.argv[1:]:
    print(arg, "->", llm(arg))
