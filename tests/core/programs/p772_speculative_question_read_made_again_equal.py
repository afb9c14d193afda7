"""The arm writes a resource the read reads, but what it writes leaves the read's result as
it was: the read is made again, its result equals the first one, and the answer asked on the
first is kept."""
import time

import opportune

STATE = {"rows": ["a", "b"]}


@opportune.external
def decide(text):
    time.sleep(0.03)
    return len(text) > 2


@opportune.external(writes=("rows",))
def touch():
    time.sleep(0.01)
    return "touched"


@opportune.external(reads=("rows",))
def rows():
    time.sleep(0.01)
    return {"rows": list(STATE["rows"]), "n": len(STATE["rows"])}


@opportune.external(speculative=True)
def ask(prompt):
    time.sleep(0.01)
    return f"answer to {prompt}"


t = touch() if decide("yes") else None
snapshot = rows()
print(ask("state " + str(snapshot)))
print(t, rows())
