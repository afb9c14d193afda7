"""A deferred arm that calls code of the program changing state the program reads: a
``classmethod`` counting in a class attribute, an ``__init__`` adding to a global registry, a
``staticmethod`` taking from a class's list. The program reads that state right after each
``if``; plain Python changed it there, so the arm runs where it stands."""
from _tools import score

REGISTRY = []


class Counter:
    n = 0

    @classmethod
    def bump(cls):
        cls.n += 1
        return cls.n


class Item:
    def __init__(self, name):
        self.name = name
        REGISTRY.append(name)


class Pool:
    free = [1, 2, 3, 4, 5, 6]

    @staticmethod
    def take():
        return Pool.free.pop()


def main():
    last = got = None
    items = []
    for q in range(6):
        s = score(f"c{q}")
        if s % 2:
            last = Counter.bump()
        if s % 3:
            items.append(Item(f"i{q}"))
        if s % 5:
            got = Pool.take()
        print(q, Counter.n, len(REGISTRY), len(Pool.free))
    print(last, got, [i.name for i in items])


main()
