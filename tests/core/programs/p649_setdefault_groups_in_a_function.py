"""Grouping with ``setdefault(k, []).append(v)`` in the arm, and counting with ``get``: the
groups fill in program order, and the dict is read as a whole afterwards."""
from _tools import score


def main():
    groups = {}
    counts = {}
    for q in range(7):
        s = score(f"g{q}")
        if s % 3:
            groups.setdefault(s % 3, []).append(q)
            counts[s % 3] = counts.get(s % 3, 0) + 1
            print("grouped", q)
    print(groups, counts, len(groups), 1 in groups)
    for k, v in sorted(groups.items()):
        print(k, v, counts[k])


main()
