"""``with ... as`` targets and comprehension targets that are not plain names
(``with opened(p) as self.f``, ``with ... as Config.TABLE["file"]``,
``[... for Config.TABLE["k"] in ...]``, a generator expression's ``for Config.ROWS[0] in``)
store into objects that functions running concurrently still read: each store waits for
them. A method that binds ``self.f`` through ``with`` works on its own object."""
from _tools import score


class Opened:
    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> str:
        return f"<{self.name}>"

    def __exit__(self, *exc: object) -> bool:
        return False


class Config:
    TABLE = {"k": 1, "file": None}
    ROWS = [0]


def report(word: str) -> str:
    if score(word) >= 0:
        return f"{word} {sorted(Config.TABLE.items(), key=str)} {Config.ROWS}"
    return ""


class Reader:
    def __init__(self) -> None:
        self.f = None

    def read(self, path: str) -> str:
        with Opened(path) as self.f:
            inside = self.f
        return f"{inside} {self.f}"


r1 = report("one")
with Opened("a.txt") as Config.TABLE["file"]:
    pass
r2 = report("two")
squares = [Config.TABLE["k"] ** 2 for Config.TABLE["k"] in [2, 3]]
r3 = report("three")
total = sum(v for Config.ROWS[0] in [4, 5] for v in [Config.ROWS[0]])
r4 = report("four")
with Opened("b.txt") as (Config.TABLE["file"], *Config.ROWS[0:]):
    pass
pairs = {Config.ROWS[0]: n for n, Config.ROWS[0] in enumerate("xy")}
reader = Reader()
for r in (r1, r2, r3, r4, report("five")):
    print(r)
print(squares, total, pairs, reader.read("c.txt"))
