"""A deferred arm's print goes to the sys.stdout / sys.stderr the program had where the `if`
stands, not to the ones it set by the time the arm runs (`sys.stderr = saved`, the end of
`redirect_stdout`)."""
import io
import sys
from contextlib import redirect_stdout

from _tools import score


def loud(out):
    for q in range(4):
        if score(f"z{q}") % 2 == 0:
            print("z", q, file=sys.stderr)
        else:
            print("odd", q)
    out.append(1)


def quiet():
    for q in range(4):
        if score(f"y{q}") % 2 == 0:
            print("y", q)


saved = sys.stderr
sys.stderr = sys.stdout
o = []
loud(o)
sys.stderr = saved
print("end", o)

buf = io.StringIO()
with redirect_stdout(buf):
    quiet()
print("outside")
print("captured:", repr(buf.getvalue()))
