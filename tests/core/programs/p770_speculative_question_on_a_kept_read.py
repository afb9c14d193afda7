"""A question built from a read that ran ahead of an undecided arm, asked through a
speculative external: the arm does not write, so the read is kept and the answer asked on its
first result is the one the program prints."""
import time

import opportune

ROWS = ["rent 1200", "gym 40"]


def _store(row):
    ROWS.append(row)


@opportune.external
def decide(text):
    time.sleep(0.03)
    return "stop" in text


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
def ask(prompt, tone="plain"):
    time.sleep(0.01)
    return f"[{tone}] {len(prompt)} chars: {prompt[-24:]}"


added = add_row("water 30") if decide("go on") else None
current = rows()
prompt = "List:\n" + "\n".join(current) + f"\n({len(current)} rows) " + str(current)
print(ask(prompt, tone="short"))
print(added, current)
