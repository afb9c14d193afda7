"""Counters kept in a dict by the arm: get/+=/setdefault."""
from _tools import score


def main():
    counts = {}
    groups = {}
    for q in range(10):
        s = score(f"k{q}")
        if s % 2 == 0:
            counts[s % 3] = counts.get(s % 3, 0) + 1
        else:
            counts.setdefault("odd", 0)
            counts["odd"] += 1
            groups.setdefault(s % 4, []).append(q)
    print(sorted(counts.items(), key=str), groups)


main()
