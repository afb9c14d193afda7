"""Annotated assignments through a target that is not a plain name
(``Config.TABLE["k"]: int = v``, ``get().ROWS[0]: int = v``) and a method's
``for self.item in items`` store into objects that a function running concurrently or an
external's body still reads: the stores wait for them, as in plain Python."""
import time

import opportune
from _tools import score


class Config:
    TABLE = {"k": 1}
    ROWS = [0]


class Walker:
    def __init__(self) -> None:
        self.item = "start"

    def walk(self, items: list[str]) -> int:
        for self.item in items:
            pass
        return len(items)


WALKER = Walker()


@opportune.external
def status(tag: str) -> str:
    time.sleep(0.03)
    return f"{tag}:{WALKER.item}"


def report(word: str) -> str:
    if score(word) >= 0:
        return f"{word} {Config.TABLE} {Config.ROWS}"
    return ""


def config() -> type:
    return Config


r1 = report("one")
Config.TABLE["k"]: int = 2
r2 = report("two")
config().ROWS[0]: int = 3
s1 = status("s1")
n = WALKER.walk(["a", "b"])
s2 = status("s2")
print(r1, r2, report("three"), s1, s2, n)
