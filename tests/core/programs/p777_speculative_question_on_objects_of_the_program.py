"""The read returns objects of the program's own class, whose __eq__ and __repr__ print.
The arm writes, so the read is made again: its results are never compared (that would run the
program's __eq__); the prompt built from them differs, so the early answer is discarded, and
the program's own __eq__ never runs."""
import time

import opportune

NAMES = ["ann"]
EQ_CALLS = []


class Person:
    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        EQ_CALLS.append(self.name)
        return isinstance(other, Person) and other.name == self.name

    __hash__ = None

    def __repr__(self):
        return f"Person({self.name})"


def _rename():
    NAMES[0] = "bob"


@opportune.external
def decide(text):
    time.sleep(0.1)
    return True


@opportune.external(writes=("people",))
def rename():
    time.sleep(0.01)
    _rename()
    return "renamed"


@opportune.external(reads=("people",))
def people():
    time.sleep(0.01)
    return [Person(n) for n in NAMES]


@opportune.external(speculative=True)
def ask(prompt):
    time.sleep(0.01)
    return "about " + prompt


rename() if decide("x") else None
folks = people()
print(ask("people: " + repr(folks)))
print("eq calls:", EQ_CALLS)
