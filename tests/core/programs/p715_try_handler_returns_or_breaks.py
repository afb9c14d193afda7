"""Handlers that return, break or continue: the code after the try runs only where plain
Python ran it, and no call after the leaving handler is made."""
import time

import _tools
import opportune
from _tools import send


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.startswith("bad"):
        raise ValueError(q)
    return q.upper()


def returns(qs: list[str]) -> object:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except ValueError:
            return ("returned at", q, out)
        send(f"r {q}")
    return out


def breaks(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except ValueError:
            break
        send(f"b {q}")
    send("after the loop")
    return out


def continues(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            r = ask(q)
        except ValueError:
            print("skip", q)
            continue
        out.append(r)
        print("kept", q)
    return out


print(returns(["a", "b", "bad", "c"]))
print(breaks(["d", "bad", "e"]))
print(continues(["f", "bad", "g", "bad2", "h"]))
print(_tools.LOG)
