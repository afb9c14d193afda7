"""Library code handed a file with queued writes, and a file dropped without ``close``.

``json.dump`` (whose module is otherwise computed later), ``pprint.pprint(stream=f)`` and a
``csv.writer`` write to the file between the program's own writes; they run in program
order after them. A file the program drops (``f = None``) is closed by the interpreter, after
its queued writes are made, before the next open of its path reads it.
"""
import csv
import json
import os
import pprint
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.02)
    return f"<{prompt}>"


folder = tempfile.mkdtemp()
path = os.path.join(folder, "a.json")
with open(path, "w") as f:
    for q in "xy":
        json.dump({"q": q, "a": ask(q)}, f)
        f.write("\n")
    json.dump([1, 2], f, indent=1)
    f.write("\n" + ask("between") + "\n")
    pprint.pprint({"k": ask("pp"), "n": list(range(3))}, stream=f)
    f.write(ask("last") + "\n")
with open(path) as r:
    print(r.read())

table = os.path.join(folder, "t.csv")
with open(table, "w", newline="") as f:
    w = csv.writer(f)
    for q in "xy":
        f.write(f"# {ask(q + 'c')}\n")
        w.writerow([q, ask(q)])
with open(table) as r:
    print(r.read())

dropped = os.path.join(folder, "d.txt")
g = open(dropped, "w")
for q in "mn":
    g.write(ask(q))
g = None
with open(dropped) as r:
    print("dropped file:", r.read())
