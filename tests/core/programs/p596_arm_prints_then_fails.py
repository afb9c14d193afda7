"""The arm prints, then fails: its line is printed, nothing after it."""
from _tools import score


def main():
    hits = []
    for q in range(6):
        s = score(f"f{q}")
        if s % 2:
            print("keeping", q)
            hits.append(int(f"{q}x" if q == 3 else q))
        print("next", q)
    print(hits)


main()
