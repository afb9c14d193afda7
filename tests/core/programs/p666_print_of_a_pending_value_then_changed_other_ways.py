"""A print waiting for a slower argument shows pending values that the program then changes
in other ways: ``+=`` on the list, a store into a dict found by iterating the list, a deferred
arm after the print that appends, and a value the program had already used (finished) before
the print. Plain Python printed each before its change."""
from _tools import record, score, search, slow


def main():
    docs = search("a")
    print(docs, slow(1))
    docs += ["extra"]
    rows = [record(1), record(2)]
    print(rows, slow(2))
    for row in rows:
        row["seen"] = True
    hits = search("b")
    print("hits", hits, slow(3))
    if score("go") > 0:
        hits.append("from the arm")
    print(len(hits))
    known = search("c")
    print(len(known))
    print(known, slow(4))
    known.sort(reverse=True)
    known.pop()
    print(known)


main()
