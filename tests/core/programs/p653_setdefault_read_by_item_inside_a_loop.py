"""Groups read by key inside a later loop: the grouping keeps waiting (a read of one group
inside a loop could hand it to a deferred statement), and every value is as in plain Python."""
from _tools import describe, score


def main():
    groups = {}
    for q in range(5):
        s = score(f"i{q}")
        if s % 2:
            groups.setdefault(s % 4, []).append(q)
    for k in sorted(groups):
        print(k, groups[k], describe(groups[k]))


main()
