"""The list is handed to a function of the program that keeps it: from then on every arm runs
in place, and what the kept list shows is plain Python's."""
from _tools import score

KEPT = []


def keep(x):
    KEPT.append(x)


def main():
    hits = []
    for q in range(3):
        if score(f"h{q}") % 2:
            hits.append(q)
    keep(hits)
    for q in range(3, 7):
        if score(f"h{q}") % 2:
            hits.append(q)
        print(KEPT)
    print(hits)


main()
