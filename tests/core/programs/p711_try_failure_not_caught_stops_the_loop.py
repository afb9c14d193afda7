"""The call fails with a class the handler does not name: plain Python leaves the loop at
that call, so nothing after it is printed or appended, and no later call that writes is made."""
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


def main(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except ValueError:
            out.append("fallback")
        print("after", q, out)
        send(f"sent {q}")
    return out


try:
    main(["a", "bad", "b", "boom", "c", "bad2"])
except KeyError as e:
    print("caught outside", repr(e), type(e).__name__)
print([line for line in _tools.LOG])
print(main(["x", "bad"]))
main(["y", "boom", "z"])
print("never")
