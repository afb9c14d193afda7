"""An ``if`` whose arms only assign, a nested one, ``or`` and ``any`` over answers of the
program's own class whose operators print: the arm plain Python does not take never runs its
operator, and the one it takes prints where plain Python printed it."""
import time

import opportune
from _tools import score


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __add__(self, other):
        print("adding", self.cents, other)
        return Money(self.cents + other)

    def __bool__(self):
        print("truth", self.cents)
        return self.cents > 2

    def __repr__(self):
        return f"Money({self.cents})"


@opportune.external
def price(item, delay):
    time.sleep(delay)
    return Money(len(item))


def main():
    total = None
    for q in ["a", "bb", "ccc", "dddd"]:
        m = price(q, 0.01)
        c1 = score(q)
        c2 = score(q + "?")
        if c1 % 2:
            if c2 % 2:
                total = m + 1
            else:
                total = m + 2
        else:
            total = 0
        print("step", q)
    print(total)
    m, n = price("zz", 0.02), price("yyy", 0.01)
    r = score("r") % 2 == 1 or m + 5 or n + 6
    print("or", r)
    print("any", any(v + 1 for v in [m, n]))


main()
