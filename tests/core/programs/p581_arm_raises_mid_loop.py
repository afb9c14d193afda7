"""An arm raises in the middle of the loop: nothing printed after that point, the error is
the arm's, with the lines before it in place."""
from _tools import score


def main():
    hits = []
    for q in range(8):
        s = score(f"q{q}")
        print("asked", q)
        if s % 2 == 0:
            hits.append(100 // (q - 5))
            print("kept", q)
    print("never", hits)


main()
