"""A function running concurrently reaches functions of the program through attributes: a
static method, a class method, a property, a class's ``__init__``, a frozen dataclass's
method and a function handed in a dict. They read module-level names that the program rebinds at the top level right after
the call (``LIMIT = 2``, ``for PREFIX in ...``, ``def suffix``): plain Python ran the function
before those statements, so it sees the old values."""
from dataclasses import dataclass

from _tools import score

LIMIT = 1
PREFIX = "a"


def suffix() -> str:
    return "-old"


class Config:
    @staticmethod
    def limit() -> int:
        return LIMIT

    @classmethod
    def label(cls) -> str:
        return f"{cls.__name__}{LIMIT}"

    @property
    def prefix(self) -> str:
        return PREFIX


class Tagger:
    def __init__(self, word: str) -> None:
        self.tag = PREFIX + word + suffix()


@dataclass(frozen=True)
class Rule:
    name: str

    def describe(self) -> str:
        return f"{self.name}<={LIMIT}{suffix()}"


def shout(word: str) -> str:
    return f"{word.upper()}{LIMIT}"


def count(words: list[str], rule: Rule, tools: dict[str, object]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} {Config.limit()} {Config.label()} {Config().prefix} {Tagger(words[0]).tag} " \
           f"{rule.describe()} {tools['shout'](words[-1])}"


TOOLS = {"shout": shout}
first = count(["x", "y"], Rule("r1"), TOOLS)
LIMIT = 2
for PREFIX in ["b", "c"]:
    pass


def suffix() -> str:  # noqa: F811 - rebinding the name is the point
    return "-new"


second = count(["z"], Rule("r2"), TOOLS)
LIMIT += 1
print(first)
print(second)
