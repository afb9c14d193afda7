"""A deferred arm prints a pending list next to a slower call; the program, after the arm,
changes the list in place. Plain Python printed the list before the change."""
from _tools import score, search, slow


def main():
    x = search("a")
    if score("q") > 0:
        print("arm", x, slow(1))
    x.append("more")
    print(len(x))


main()
