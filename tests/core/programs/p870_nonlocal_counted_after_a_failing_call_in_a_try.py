"""A closure's counter (``nonlocal``) bumped after each call inside a ``try`` body: when a
call fails, plain Python never bumped it for the later items, and the handler sees the
count of the calls before the failure."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.15 if q.endswith("!") else 0.01)
    if q.endswith("!"):
        raise ValueError(f"refused {q}")
    return q


def make_counter():
    n = 0

    def bump() -> int:
        nonlocal n
        n += 1
        return n

    def seen() -> int:
        return n

    return bump, seen


bump, seen = make_counter()


def main(qs: list[str]) -> None:
    for q in qs:
        ask(q)
        bump()


try:
    main(["a", "b!", "c", "d"])
except ValueError as e:
    print("caught", e, "after", seen(), "calls")
main(["e"])
print("seen", seen())
