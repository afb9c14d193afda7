"""``get``, ``keys``, ``items`` and ``copy`` on a pending dict, and ``index``/``count``
on a pending list, read the container as it is at the call, however the program changes it
right after (item stores, ``update``, ``append``, ``+=``, a change through another name)."""
from __future__ import annotations

import time

import opportune


@opportune.external
def addresses(names: list[str]) -> dict[str, str]:
    time.sleep(0.03)
    return {n: f"{n} street {len(n)}" for n in names}


@opportune.external
def ranking(k: int) -> list[int]:
    time.sleep(0.03)
    return [3, 1, 4, 1, 5, 9, 2, 6][:k]


book = addresses(["ada", "bob"])
first = book.get("ada")
missing = book.get("zed", "none")
keys = book.keys()
snapshot = book.copy()
has_bob = "bob" in book
book["ada"] = "moved"
book.update({"zed": "new"})
again = book.get("ada")
print(first, missing, has_bob, again)
print(sorted(snapshot.items()), sorted(keys))

order = ranking(8)
where = order.index(5)
ones = order.count(1)
alias = order
alias.append(1)
order += [5]
print(where, ones, order.count(1), order.index(9))

for round_ in range(3):
    table = addresses([f"n{round_}", "ada"])
    before = table.get("ada")
    table["ada"] = f"changed {round_}"
    print(round_, before, table.get("ada"))
