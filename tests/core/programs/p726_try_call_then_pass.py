"""``try: notify(x) except E: pass``: a failure the clause names is swallowed, one it does not
name stops the program where plain Python stopped, after the output before it."""
import time

import _tools
import opportune
from _tools import send


@opportune.external
def notify(q: str) -> str:
    time.sleep(0.02)
    print("notifying", q)
    if q.startswith("bad"):
        raise ValueError(q)
    if q.startswith("boom"):
        raise KeyError(q)
    return q


def main(qs: list[str]) -> int:
    for q in qs:
        try:
            notify(q)
        except ValueError:
            pass
        send("after " + q)
    print("sent", len(qs))
    return len(qs)


print(main(["a", "bad", "b"]))
try:
    main(["c", "boom", "d"])
except KeyError as e:
    print("caught", e)
print(_tools.LOG)
main(["e", "bad2", "boom2", "f"])
