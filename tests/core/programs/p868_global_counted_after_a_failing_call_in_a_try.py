"""A function called inside a ``try`` body rebinds a global after each call: when a call
fails, plain Python never made the later rebindings, so the handler sees the count of the
calls before the failure."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.15 if q.endswith("!") else 0.01)
    if q.endswith("!"):
        raise ValueError(f"refused {q}")
    return q


count = 0


def bump() -> None:
    global count
    count += 1


def main(qs: list[str]) -> None:
    for q in qs:
        ask(q)
        bump()


try:
    main(["a", "b!", "c", "d"])
except ValueError as e:
    print("caught", e, "after", count, "calls")
print("count", count)
