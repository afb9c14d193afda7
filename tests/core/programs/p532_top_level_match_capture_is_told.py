"""A function running concurrently reaches a static method that reads module-level names;
the top level then binds them as ``case`` captures (a name and a star capture): plain Python
ran the call first, so it sees the old values."""
from _tools import score

MODE = "m0"
REST = ()


class Config:
    @staticmethod
    def value() -> str:
        return f"{MODE}{len(REST)}"


def count(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} {Config.value()}"


before = count(["x", "y"])
match ["m1", 2, 3, 4]:
    case [MODE, *REST]:
        pass
print(before)
print(MODE, REST)
