"""Stores and deletions through a target that is not a plain name (``Config.TABLE["k"] = v``,
``Config.ROWS[0][1] = v``, ``Config.INNER.mode = v``, ``del Config.TABLE["gone"]``,
``Config.LISTS["x"] += [...]``) change an object that a function running concurrently still
reads: the change waits for it. The target's object is evaluated once, as in Python."""
from _tools import score


class Inner:
    def __init__(self) -> None:
        self.mode = "slow"


class Config:
    TABLE = {"k": 1, "gone": 0}
    ROWS = [[1, 2], [3, 4]]
    INNER = Inner()
    LISTS = {"x": ["a"]}
    COUNTS = {"n": 0}


evaluated = []


def config() -> type:
    evaluated.append("config")
    return Config


def report(word: str) -> str:
    if score(word) >= 0:
        return (f"{word} {sorted(Config.TABLE.items())} {Config.ROWS} {Config.INNER.mode} "
                f"{Config.LISTS} {Config.COUNTS}")
    return ""


r1 = report("one")
Config.TABLE["k"] = 2
r2 = report("two")
Config.ROWS[0][1] = 20
r3 = report("three")
Config.INNER.mode = "fast"
r4 = report("four")
del Config.TABLE["gone"]
r5 = report("five")
Config.LISTS["x"] += ["b"]
r6 = report("six")
config().COUNTS["n"] += 1
for r in (r1, r2, r3, r4, r5, r6):
    print(r)
print(evaluated)
