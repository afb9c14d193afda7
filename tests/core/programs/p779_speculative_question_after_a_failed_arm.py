"""The arm the read runs past fails before it writes: plain Python stops there, so neither
the read nor the question is made; the program catches the error, and the speculative
question asked meanwhile is never seen."""
import time

import opportune

ROWS = ["a"]


def _store(row):
    ROWS.append(row)


@opportune.external
def decide(text):
    time.sleep(0.03)
    return True


@opportune.external(writes=("rows",))
def add_row(row):
    _store(row)
    return "added"


@opportune.external(reads=("rows",))
def rows():
    time.sleep(0.01)
    return list(ROWS)


@opportune.external(speculative=True)
def ask(prompt):
    print("asked", prompt)
    time.sleep(0.01)
    return prompt


def main(extra):
    if decide("x"):
        add_row(extra[3])
    current = rows()
    print("answer", ask("rows " + str(current)))
    return current


try:
    main([])
except IndexError as e:
    print("caught", e)
print(main(["p", "q", "r", "s"]))
