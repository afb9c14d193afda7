"""The arm writes, the read made again returns another list: the answer asked on the first
result is discarded and the question asked again with the final list, whose answer is the
one printed."""
import time

import opportune

ROWS = ["rent 1200"]


def _store(row):
    ROWS.append(row)


@opportune.external
def decide(text):
    time.sleep(0.03)
    return "go" in text


@opportune.external(writes=("rows",))
def add_row(row):
    time.sleep(0.01)
    _store(row)
    return f"added {row}"


@opportune.external(reads=("rows",))
def rows():
    time.sleep(0.01)
    return list(ROWS)


@opportune.external(speculative=True)
def ask(prompt):
    time.sleep(0.01)
    return prompt.upper()


def step(word):
    added = add_row(word) if decide(word) else None
    current = rows()
    answer = ask(f"rows={current!r} count={len(current)}")
    print(added, "->", answer)


for word in ["go gym", "stay", "go water"]:
    step(word)
print(rows())
