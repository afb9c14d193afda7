"""The handler names a class that does not exist: plain Python evaluates it only when the body
raised, so a body that succeeds never notices, and one that fails raises NameError there."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q == "bad":
        raise ValueError(q)
    return q


def main(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except NoSuchError:  # noqa: F821
            out.append("never")
    return out


print(main(["a", "b"]))
try:
    main(["c", "bad", "d"])
except NameError as e:
    print("NameError:", e)
