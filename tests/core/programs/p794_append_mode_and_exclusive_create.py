"""Append mode across two opens of the same file, and ``x`` mode.

The second ``open`` for appending must come after the first file's queued writes are made;
an ``x`` open of an existing path raises ``FileExistsError`` in program order.
"""
import os
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.02)
    return f"[{prompt}]"


folder = tempfile.mkdtemp()
path = os.path.join(folder, "notes.txt")
with open(path, "a") as f:
    for q in ["x", "y"]:
        f.write(ask(q))
first = open(path, "a")
first.write(ask("first-open") + "\n")
second = open(path, "a")
second.write(ask("second-open") + "\n")
second.close()
first.write(ask("first-again") + "\n")
first.close()
with open(path) as r:
    print(repr(r.read()))

made = os.path.join(folder, "made.txt")
with open(made, "x") as f:
    for q in ["p", "q"]:
        f.write(ask(q) + ";")
try:
    with open(made, "x") as f:
        f.write(ask("never"))
except FileExistsError:
    print("exists")
with open(made, "at") as f:
    f.write(ask("appended"))
with open(made) as r:
    print(repr(r.read()))
