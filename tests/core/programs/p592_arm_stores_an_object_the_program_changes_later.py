"""The arm stores a dict the program changes afterwards: the list must hold that very dict,
so the change shows."""
from _tools import score


def main():
    rows = [{"id": i} for i in range(5)]
    hits = []
    for row in rows:
        s = score(f"row{row['id']}")
        if s % 2 == 0:
            hits.append(row)
        row["seen"] = True
    print(hits)


main()
