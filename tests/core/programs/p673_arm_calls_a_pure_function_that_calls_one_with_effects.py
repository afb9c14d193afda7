"""A deferred arm calls a function that changes nothing itself but calls one that appends to
a global list: the program reads the list right after the ``if``, as plain Python changed it
there."""
from _tools import score

LOG = []


def note(x):
    LOG.append(x)
    return len(LOG)


def twice(x):
    return note(x) * 2


def main():
    last = 0
    for q in range(6):
        s = score(f"n{q}")
        if s % 2:
            last = twice(q)
        print("log", len(LOG))
    print(last, LOG)


main()
