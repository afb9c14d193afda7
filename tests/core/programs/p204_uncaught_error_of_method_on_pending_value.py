"""An uncaught ``ValueError`` from ``list.index`` on a pending list: the output before it is
printed, nothing after it, and the traceback ends with the same line."""
from __future__ import annotations

import time

import opportune


@opportune.external
def numbers(n: int) -> list[int]:
    time.sleep(0.03)
    return list(range(n))


@opportune.external
def note(text: str) -> str:
    time.sleep(0.01)
    return text.upper()


xs = numbers(4)
print("start")
first = xs.index(2)
missing = xs.index(10)
print(note("after the failing index"))
print("never", first, missing)
