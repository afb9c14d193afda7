"""A speculative external that prints and logs what it is asked: the discarded attempt's
output never appears, the kept answer's output appears once, at its place in program order."""
import sys
import time

import opportune

ROWS = ["x"]


def _store(row):
    ROWS.append(row)


@opportune.external
def decide(text):
    time.sleep(0.03)
    return text == "write"


@opportune.external(writes=("rows",))
def add_row(row):
    time.sleep(0.01)
    _store(row)
    return "added"


@opportune.external(reads=("rows",))
def rows():
    time.sleep(0.01)
    return list(ROWS)


@opportune.external(speculative=True)
def ask(prompt):
    print("asking", prompt)
    print("to stderr", prompt, file=sys.stderr)
    time.sleep(0.01)
    return len(prompt)


for word in ["keep", "write", "keep"]:
    print("step", word)
    add_row(word) if decide(word) else None
    current = rows()
    n = ask("rows: " + ", ".join(current))
    print("answer", n)
