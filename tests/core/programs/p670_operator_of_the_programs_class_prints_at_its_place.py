"""An operator of the program's own class that prints, applied to an answer still on its way:
its output lands where plain Python printed it, after the earlier print of a slower answer."""
import time

import opportune
from _tools import slow


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __add__(self, other):
        print("adding", self.cents, other)
        return Money(self.cents + other)

    def __eq__(self, other):
        print("comparing", self.cents, other)
        return self.cents == other

    def __repr__(self):
        return f"Money({self.cents})"


@opportune.external
def price(item):
    time.sleep(0.02)
    return Money(len(item) * 100)


def main():
    print("first", slow(1))
    total = price("book") + 5
    same = price("pen") == 300
    print("after")
    print(total, same)


main()
