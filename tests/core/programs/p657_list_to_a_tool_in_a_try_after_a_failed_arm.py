"""The list goes to a tool inside a try whose handler catches the error an earlier arm
raised outside it: plain Python raised it at the arm, before the try, so the handler never
runs, and no tool call is made after it."""
from _tools import describe, score


def main():
    hits = []
    for q in range(6):
        s = score(f"y{q}")
        if s % 2 or q == 3:
            hits.append(12 // (q - 3))
        try:
            print("tool", q, describe(hits))
        except ZeroDivisionError:
            print("caught in the try: wrong")
    print("never", hits)


try:
    main()
except ZeroDivisionError as e:
    print("caught outside", e)
