"""The program keeps one of the groups under a name of its own between iterations, then
changes and prints it: it sees every item the arms put in before, and nothing after."""
from _tools import score


def main():
    groups = {}
    kept = None
    for q in range(6):
        s = score(f"k{q}")
        if s % 2:
            groups.setdefault("odd", []).append(q)
        else:
            groups.setdefault("even", []).append(q)
        if q == 2:
            kept = groups.setdefault("odd", [])
            print("kept", kept)
    kept.append("mine")
    print(kept, groups)


main()
