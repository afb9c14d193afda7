"""Dedup with a set the arm fills and the arm itself tests."""
from _tools import score


def main():
    seen = set()
    order = []
    for q in range(12):
        s = score(f"z{q}") % 7
        if s not in seen:
            seen.add(s)
            order.append(s)
            print("new", s)
    print(order, sorted(seen))


main()
