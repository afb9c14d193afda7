"""Module-level ``try`` statements the rewrite must leave as written, or whose names other
code sees: a list a function of the module reads, a handler's ``as`` name read after the
statement, and a ``try`` whose handler re-raises. Each behaves as in plain Python."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.startswith("bad"):
        raise ValueError(f"no {q}")
    return q.upper()


seen = []


def report() -> str:
    return f"{len(seen)} seen: {seen}"


for q in ["a", "bad1", "b"]:
    try:
        seen.append(ask(q))
    except ValueError:
        seen.append(None)
    print(report())

last = None
for q in ["c", "bad2"]:
    try:
        last = ask(q)
    except ValueError as e:
        last = str(e)
        kept = e
print(last, repr(kept))

try:
    for q in ["d", "bad3", "e"]:
        try:
            print(ask(q))
        except ValueError:
            print("re-raising", q)
            raise
except ValueError as outer:
    print("outer", outer)

items = []
for q in ["f", "bad4"]:
    try:
        items.append(ask(q))
    except ValueError as err:
        items.append(f"failed: {err}")
print(items, "err" in dir())
