"""Functions running concurrently reach static methods that read module-level names; the top
level then rebinds them through exec() and eval() (a walrus in the evaluated text). Plain
Python ran each call first, so it sees the old values."""
from _tools import score

MODE = "m0"
LEVEL = "l0"


class Config:
    @staticmethod
    def value() -> str:
        return f"{MODE}/{LEVEL}"


def count(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} {Config.value()}"


first = count(["x", "y"])
exec("MODE = 'm1'")
second = count(["z", "w"])
print(eval("(LEVEL := 'l1')"))
print(first)
print(second)
print(MODE, LEVEL)
