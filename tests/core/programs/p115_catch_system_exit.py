import sys

from _tools import score

try:
    sys.exit(score("code") % 5)
except SystemExit as e:
    print("caught exit", e.code)
print("continuing")
raise SystemExit(score("again") % 4 + 2)
