"""Filter/collect loops: the arm appends to a list, stores into a dict, adds to a set and
prints, while the loop goes on to the next answer."""
from _tools import score


def main():
    hits = []
    seen = set()
    by_q = {}
    for q in range(8):
        s = score(f"q{q}")
        if s % 2 == 0:
            hits.append(q)
            seen.add(s % 5)
            by_q[q] = s
            print("even", q, s)
    print(hits, sorted(seen), by_q)
    total = {}
    for q in range(6):
        s = score(f"t{q}")
        if s > 300:
            total[q % 3] = total.get(q % 3, 0) + s
        else:
            print("small", q)
    print(total, len(total), 2 in total)


main()
