"""``for``, comprehension and ``with`` targets whose object and key come from calls or a
property (``for get()[key()] in values()``, ``for box.rows[0][0] in ...``,
``with Manager() as get()[key()]``) evaluate each part once per store and in Python's order,
while a function running concurrently still reads the objects they change: the stores wait."""
from _tools import score

log: list[object] = []


class Config:
    TABLE = {"k": 1}
    ROWS = [[0, 0]]


def report(word: str) -> str:
    if score(word) >= 0:
        return f"{word} {sorted(Config.TABLE.items())} {Config.ROWS}"
    return ""


def get(tag: str) -> dict[str, int]:
    log.append(("get", tag))
    return Config.TABLE


def key(k: str) -> str:
    log.append(("key", k))
    return k


def values(*vs: int) -> list[int]:
    log.append(("values", vs))
    return list(vs)


class Box:
    @property
    def rows(self) -> list[list[int]]:
        log.append("rows")
        return Config.ROWS


class Manager:
    def __enter__(self) -> int:
        log.append("enter")
        return 9

    def __exit__(self, *exc: object) -> bool:
        log.append("exit")
        return False


box = Box()
r1 = report("one")
for get("for")[key("k")] in values(5, 6):
    log.append("body")
r2 = report("two")
for box.rows[0][0], get("pair")[key("j")] in [(7, 8)]:
    pass
r3 = report("three")
made = [Config.TABLE["c"] for get("comp")[key("c")] in values(1, 2)]
r4 = report("four")
with Manager() as get("with")[key("w")]:
    log.append("inside")
for r in (r1, r2, r3, r4, report("five")):
    print(r)
print(made)
for entry in log:
    print(entry)
