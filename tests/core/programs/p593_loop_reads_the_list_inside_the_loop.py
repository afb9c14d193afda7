"""The loop body reads the list the arms change: each read sees the changes before it."""
from _tools import score


def main():
    hits = []
    for q in range(6):
        s = score(f"l{q}")
        if s % 2:
            hits.append(q)
        for h in hits:
            print("have", q, h)
        n = sum(h for h in hits)
        print(q, n, f"{hits}", bool(hits), q in hits)


main()
