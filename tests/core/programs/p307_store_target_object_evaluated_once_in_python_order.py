"""Stores, augmented stores and deletions through targets whose object is computed by a call
or a property (``get()[key()] = value()``, ``box.rows[0][0] = v``, ``a, get()[k] = ...``)
evaluate each part once and in Python's order, while a function running concurrently still
reads the objects they change: the changes wait for it."""
from _tools import score

log = []


class Config:
    TABLE = {"k": 1, "gone": 2}
    ROWS = [[0, 0]]


def report(word: str) -> str:
    if score(word) >= 0:
        return f"{word} {sorted(Config.TABLE.items())} {Config.ROWS}"
    return ""


def get(tag):
    log.append(("get", tag))
    return Config.TABLE


def key(k):
    log.append(("key", k))
    return k


def value(v):
    log.append(("value", v))
    return v


class Box:
    def __init__(self):
        self._rows = Config.ROWS

    @property
    def rows(self):
        log.append("rows")
        return self._rows


box = Box()
r1 = report("one")
get("set")[key("k")] = value(5)
r2 = report("two")
get("aug")[key("k")] += value(1)
r3 = report("three")
box.rows[0][0] = value(7)
r4 = report("four")
first, get("pair")[key("z")] = value(1), value(2)
r5 = report("five")
del get("del")[key("gone")]
for r in (r1, r2, r3, r4, r5):
    print(r)
print(first, log)
