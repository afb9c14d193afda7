"""A ``functools.cached_property`` whose method's call fails outside any ``try``: the program
ends with that error, after the output before it, as in plain Python."""
import functools

import opportune


@opportune.external
def fetch(q):
    if q == "bad":
        raise LookupError(f"no answer for {q}")
    return q.upper()


class Item:
    def __init__(self, q):
        self.q = q

    @functools.cached_property
    def answer(self):
        return fetch(self.q)


items = [Item("ok"), Item("bad"), Item("fine")]
print(items[0].answer)
print([i.answer for i in items])
print("not reached")
