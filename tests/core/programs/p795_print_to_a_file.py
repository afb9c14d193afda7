"""``print(..., file=f)`` of answers to a file the program opened, with ``sep``, ``end``,
``flush`` and containers, interleaved with prints to stdout.

The prints to the file and to stdout share one queue in program order; a container printed
to the file and changed afterwards shows what it held at the print, and the file reads back
in program order.
"""
import os
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.03 if prompt == "slow" else 0.01)
    return f"A:{prompt}"


class Row:
    def __init__(self, n):
        self.n = n

    def __str__(self):
        return f"Row({self.n})"


path = os.path.join(tempfile.mkdtemp(), "report.txt")
with open(path, "w") as f:
    print("header", file=f)
    for q in ["slow", "fast", "mid"]:
        a = ask(q)
        print(q, a, sep=" => ", file=f)
        print("asked", q)
    items = [ask("i1"), "plain"]
    print(items, file=f, end=";\n")
    items.append("later")
    row = Row(1)
    print(row, ask("row"), file=f, flush=True)
    row.n = 2
    print("done", file=f, sep="", end="")
print("stdout after with")
with open(path) as r:
    print(r.read())
