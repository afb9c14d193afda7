"""The reverse of p773: the prompt builds from the read's first result, the arm then empties
the rows, and building it from the final list raises. The question asked early is discarded
unseen (what it printed is dropped), and the program meets the IndexError where plain Python
did."""
import time

import opportune

ROWS = ["first", "second"]


def _clear():
    ROWS.clear()


@opportune.external
def decide(text):
    time.sleep(0.03)
    return True


@opportune.external(writes=("rows",))
def clear_rows():
    time.sleep(0.01)
    _clear()
    return "cleared"


@opportune.external(reads=("rows",))
def rows():
    time.sleep(0.01)
    return list(ROWS)


@opportune.external(speculative=True)
def ask(prompt):
    print("asked:", prompt)
    time.sleep(0.01)
    return prompt.title()


print("start")
clear_rows() if decide("x") else None
current = rows()
try:
    print(ask("row one is " + current[1]))
except IndexError as e:
    print("caught", e)
print("end", rows())
