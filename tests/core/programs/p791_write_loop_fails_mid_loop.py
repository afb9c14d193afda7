"""A batch loop writing a line per answer fails mid-loop, uncaught, inside ``with open``.

The file must hold exactly the lines plain Python wrote before the failure: printed by an
atexit hook after the traceback. A second file, opened without ``with`` and never closed,
gets the same lines.
"""
import atexit
import json
import os
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.03 if prompt != "c" else 0.06)
    if prompt == "d":
        raise RuntimeError(f"model failed on {prompt}")
    return f"A[{prompt}]"


folder = tempfile.mkdtemp()
path = os.path.join(folder, "out.jsonl")
other = os.path.join(folder, "other.txt")


def show():
    for p in (path, other):
        with open(p) as f:
            print(os.path.basename(p), repr(f.read()))


atexit.register(show)

g = open(other, "w")
with open(path, "w") as f:
    for i, q in enumerate(["a", "b", "c", "d", "e"]):
        print("asking", q)
        ans = ask(q)
        f.write(json.dumps({"i": i, "q": q, "a": ans}) + "\n")
        g.write(f"{i}:{ans}\n")
print("never")
