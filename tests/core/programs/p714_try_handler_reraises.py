"""A handler that raises another error: plain Python leaves the loop there, so the calls and
prints of later iterations never happen, and the new error carries the first as its cause."""
import time

import _tools
import opportune
from _tools import send


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.startswith("bad"):
        raise ValueError(q)
    return q * 2


def main(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except ValueError as e:
            raise RuntimeError(f"gave up at {q}") from e
        send(f"done {q}")
        print("done", q)
    return out


try:
    main(["a", "b", "bad", "c", "d"])
except RuntimeError as e:
    print("caught", e, "cause:", repr(e.__cause__))
print(_tools.LOG)


def bare_reraise(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except ValueError:
            print("logging", q)
            raise
        print("ok", q)
    return out


bare_reraise(["x", "y", "bad-z", "w"])
