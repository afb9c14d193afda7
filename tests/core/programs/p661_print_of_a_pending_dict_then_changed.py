"""print(d, slow(1)) with d a pending dict, then stores into it and into a list inside it:
plain Python printed the dict before the changes."""
from _tools import record, slow


def main():
    d = record(3)
    print(d, slow(1))
    d["extra"] = True
    d["tags"].append("late")
    print(sorted(d))


main()
