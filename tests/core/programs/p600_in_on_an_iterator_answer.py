"""`in` on an answer that is an iterator consumes it up to the item, as plain Python's does: the
program's next `next()` gets the item after it, not the first."""
import time

import opportune


@opportune.external
def letters(n):
    time.sleep(0.02)
    return iter("abcdef"[:n])


@opportune.external
def words(n) -> list:
    time.sleep(0.02)
    return ["alpha", "beta", "gamma"][:n]


def main():
    it = letters(6)
    found = "b" in it
    print(next(it), found)
    rest = letters(6)
    print("z" not in rest, list(rest))
    gen = (w.upper() for w in words(3))
    print("BETA" in gen, next(gen))
    print(["beta" in words(k) for k in range(4)])


main()
