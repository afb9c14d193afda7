"""break inside the arm: the loop stops where plain Python stops it."""
from _tools import score


def main():
    hits = []
    for q in range(10):
        s = score(f"x{q}")
        if s % 4 == 0:
            hits.append(q)
            print("found", q)
            break
        elif s % 2:
            hits.append(-q)
    print(hits)
    found = {}
    for q in range(10):
        s = score(f"y{q}")
        if s % 3 == 0:
            found[q] = s
            if len(found) == 2:
                break
    print(found)


main()
