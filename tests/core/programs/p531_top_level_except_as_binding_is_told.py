"""A function running concurrently reaches a static method that reads a module-level name;
the top level then binds that name with ``except ... as`` (and the handler's end deletes it,
after a call in the handler that reads the exception through it) and rebinds it: plain Python
ran each call first, so it sees the value the name held then."""
from _tools import score

MODE = "m0"


class Config:
    @staticmethod
    def value() -> str:
        return f"{MODE}"


def count(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} {Config.value()}"


before = count(["x", "y"])
try:
    raise ValueError("v")
except ValueError as MODE:  # noqa: F811 - rebinding the name is the point
    caught = str(MODE)
    inside = count(["h"])
MODE = "m2"
print(before)
print(inside, caught, MODE)
