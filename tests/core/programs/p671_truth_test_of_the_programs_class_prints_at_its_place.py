"""A ``__bool__`` of the program's own class that prints, tested by an ``if`` whose arm is
deferred, an ``if`` whose arms only assign, a conditional expression, ``and``/``or``/``not``
and ``any``/``all`` over a generator: each check prints where plain Python made it."""
import time

import opportune


class Verdict:
    def __init__(self, name, ok):
        self.name = name
        self.ok = ok

    def __bool__(self):
        print("checking", self.name)
        return self.ok

    def __repr__(self):
        return f"Verdict({self.name})"


@opportune.external
def verdict(q: str, delay: float) -> Verdict:
    time.sleep(delay)
    return Verdict(q, len(q) % 2 == 0)


@opportune.external
def unknown(q, delay):
    time.sleep(delay)
    return Verdict(q, len(q) % 2 == 0)


def main():
    hits = []
    best = None
    for i, q in enumerate(["a", "bb", "ccc", "dd"]):
        v = verdict(q, 0.08 - 0.02 * i)
        if v:
            hits.append(q)
        w = verdict(q + "!", 0.01 * i)
        if w:
            best = q
        print("looped", q)
    print(hits, best)
    x = "yes" if verdict("zz", 0.01) else "no"
    print("between")
    a, b = unknown("a", 0.05), unknown("bb", 0.01)
    either = a or b
    print("after or")
    vs = [unknown(q, 0.05 - 0.01 * i) for i, q in enumerate(["a", "bb", "c"])]
    found = any(v for v in vs)
    print("after any")
    print(x, either, found, not verdict("e", 0.02))


main()
