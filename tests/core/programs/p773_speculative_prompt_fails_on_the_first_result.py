"""Building the prompt from the read's first result raises (the list is one row short): no
speculative question is asked, and the final list, which has the row, gives the question
plain Python asked."""
import time

import opportune

ROWS = ["first"]


def _store(row):
    ROWS.append(row)


@opportune.external
def decide(text):
    time.sleep(0.03)
    return True


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
    time.sleep(0.01)
    print("asked:", prompt)
    return prompt[::-1]


add_row("second") if decide("x") else None
current = rows()
print(ask("second row is " + current[1]))
