"""A second name for the list: reads through it must see every change the arms made before
them in program order."""
from _tools import score


def main():
    hits = []
    alias = hits
    for q in range(6):
        s = score(f"a{q}")
        if s % 3 != 0:
            hits.append(q)
        print(q, len(alias), alias)
    views = {"all": hits}
    for q in range(4):
        s = score(f"b{q}")
        if s % 2:
            hits.append(-q)
        print(views["all"][-1:])
    print(hits is alias, alias)


main()
