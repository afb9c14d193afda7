"""The list goes to a tool in every iteration: each call gets the list as it was then."""
from _tools import describe, score


def main():
    hits = []
    reports = []
    for q in range(5):
        s = score(f"d{q}")
        if s % 2:
            hits.append(q)
        reports.append(describe(hits))
    print(reports)
    print(describe(hits), hits)


main()
