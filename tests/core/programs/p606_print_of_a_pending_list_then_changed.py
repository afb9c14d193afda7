"""print(x, slow(1)) with x a pending list, then x.append(...): plain Python printed the list
before the change; the print waits for the slower argument, and renders x only then."""
from _tools import search, slow


def main():
    x = search("a")
    print(x, slow(1))
    x.append("more")
    print(len(x))


main()
