"""A module-level ``try`` turned into a branch whose call fails with a class the handler does
not name: plain Python stops the script at that call with its traceback, so nothing after it
is printed, appended or sent, and the later iterations' calls are never made."""
import time

import _tools
import opportune
from _tools import send


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q == "boom":
        raise KeyError(q)
    if q.startswith("bad"):
        raise ValueError(q)
    return q.upper()


out = []
for q in ["a", "bad1", "b"]:
    try:
        out.append(ask(q))
    except ValueError:
        out.append("fallback")
    print("after", q, out)
print(_tools.LOG)

for q in ["c", "bad2", "boom", "d", "bad3"]:
    try:
        out.append(ask(q))
    except ValueError as e:
        print("caught", repr(e))
        out.append("fallback")
    print("after", q, out)
    send(f"sent {q}")
print("never", out)
