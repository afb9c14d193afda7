"""A function of the program's, called with pending values, builds a list in a loop with an
`if` on each (if-converted): its result holds pending items. The external it is passed to gets
every item filled in (ints, not stand-ins), and no output is dropped."""
import time

import opportune


@opportune.external(reads=("r",))
def search() -> list:
    time.sleep(0.02)
    return [{"key": 1}, {"key": 3}]


@opportune.external
def kinds(items: list) -> str:
    return ",".join(type(x).__name__ for x in items)


rows = search()


def above_one(keys):
    out = []
    for k in keys:
        if k > 1:
            out = out + [k]
    return out


print(kinds(above_one([rows[0]["key"], rows[1]["key"]])))
kept = above_one([rows[1]["key"], rows[0]["key"], rows[1]["key"]])
print(kinds(kept), kept, len(kept))
print("end")
