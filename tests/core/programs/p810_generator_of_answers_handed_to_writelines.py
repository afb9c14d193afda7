"""Generators of the program handed to library code that checks the type of each item.

``StringIO.writelines`` takes only str: the generator's items, made from answers, must reach it
as real strings, whether the generator is a generator expression, a generator function, or
wrapped in ``itertools.chain``, ``zip``, ``enumerate`` or ``map``; a real file too. A
generator that prints keeps its output between the library's steps, and one that fails stops
the library where plain Python stops it.
"""
import io
import itertools
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


buf = io.StringIO()
buf.writelines(ask(x) + "\n" for x in "abc")
print(buf.getvalue(), end="")


def lines(names):
    for n in names:
        print("making", n)
        yield ask(n) + ";"


buf = io.StringIO()
buf.writelines(lines(["d", "e"]))
print(buf.getvalue())

buf = io.StringIO()
buf.writelines(itertools.chain((ask(x) for x in "fg"), ["|"]))
buf.writelines(a + b for a, b in zip((ask(x) for x in "hi"), "xy"))
buf.writelines(f"{i}{a}" for i, a in enumerate(ask(x) for x in "jk"))
buf.writelines(map(str.lower, (ask(x) for x in "LM")))
print(buf.getvalue())

buf = io.StringIO()
try:
    buf.writelines(ask(x) for x in ["n", "boom", "o"])
except ValueError as e:
    print("failed:", e, repr(buf.getvalue()))

path = os.path.join(tempfile.mkdtemp(), "out.txt")
with open(path, "w") as f:
    f.writelines(f"{ask(x)}\n" for x in "pq")
with open(path) as f:
    print(f.read().split())
os.remove(path)
