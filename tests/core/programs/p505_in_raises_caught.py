"""A failing membership test caught in a try, and `in` on a call that fails."""
import time

import opportune

from _tools import fail


@opportune.external
def count(q):
    time.sleep(0.02)
    return str(q * 7) if q != 2 else None


def main():
    out = []
    for q in range(4):
        c = count(q)
        try:
            hit = "7" in c
            out.append(f"{q}: hit={hit}")
            print("inside try", q)
        except TypeError as exc:
            out.append(f"{q}: {type(exc).__name__}: {exc}")
    print(out)
    try:
        print("x" in fail("no answer"))
    except ValueError as exc:
        print("caught", exc)
    try:
        missing = "q" not in fail("second")
        print("after a failing call", missing)
    except ValueError as exc:
        print("caught again", exc)


main()
