"""A print whose separator or end is an answer that is no text, inside a try body, behind a
slower call: plain Python refuses it at the print, before writing anything, and the handler
catches the TypeError there."""
import time

import opportune


@opportune.external
def slow(x: int) -> int:
    time.sleep(0.08)
    return x * 10


@opportune.external
def separator(kind: str):
    time.sleep(0.01)
    return [kind] if kind == "list" else kind


for kind in [" / ", "list"]:
    try:
        print("a", slow(1), "b", sep=separator(kind))
        print("printed with", kind)
    except TypeError as e:
        print("refused:", e)
try:
    print("c", slow(2), end=separator("list"))
except TypeError as e:
    print("refused end:", e)
print("done")
