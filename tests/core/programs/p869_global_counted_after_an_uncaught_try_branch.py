"""A ``try`` turned into a branch whose clause does not catch the call's failure, followed by
a function that rebinds a global: the failure leaves the loop at that iteration, so the
rebindings of later iterations never happen."""
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


def main(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except KeyError:
            out.append(None)
        bump()
    return out


try:
    print(main(["a", "b!", "c", "d"]))
except ValueError as e:
    print("caught", e, "count", count)
print(main(["e", "f"]), count)
