"""``writelines`` of a file object runs the program's generator to the end first.

Its calls then overlap; what the program sees stays plain Python's: the generator's prints in
order, a failed answer met after the lines before it were written (and the generator's output
after it dropped), a closed file raising before the generator runs, and the generator's own
error raised after the lines before it, with its frames in the uncaught traceback.
"""
import io
import os
import tempfile
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q == "boom":
        raise ValueError("no answer for boom")
    return f"A:{q}"


def lines(names):
    for n in names:
        print("making", n)
        yield ask(n) + "\n"


buf = io.StringIO()
buf.writelines(lines(["a", "b", "c"]))
print(buf.getvalue().split())

buf = io.StringIO()
try:
    buf.writelines(lines(["d", "boom", "e"]))
except ValueError as e:
    print("failed:", e, buf.getvalue().split())

closed = io.StringIO()
closed.close()
try:
    closed.writelines(lines(["f"]))
except ValueError as e:
    print("closed:", e)

path = os.path.join(tempfile.mkdtemp(), "out.txt")
with open(path, "w") as f:
    f.writelines(f"{ask(x)}\n" for x in "gh")
with open(path) as f:
    print(f.read().split())
os.remove(path)


def checked(names):
    for n in names:
        if n == "bad":
            raise KeyError(n)
        yield ask(n) + ";"


buf = io.StringIO()
try:
    buf.writelines(checked(["i", "bad", "j"]))
finally:
    print("written:", buf.getvalue())
