"""The top level rebinds a module-level name to the result of a function that runs
concurrently and reads that very name through a static method (``LABEL = count(...)``,
``TOTAL += count(...)``, ``NOTE: str = count(...)``): plain Python ran the function before
the store, so it reads the old value, and the store must not be seen by it (nor make it wait
for itself)."""
from _tools import score

LABEL = "l0"
TOTAL = "t0"
NOTE = "n0"


class Config:
    @staticmethod
    def label() -> str:
        return f"{LABEL}/{TOTAL}/{NOTE}"


def count(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} {Config.label()}"


LABEL = count(["x", "y"])
TOTAL += count(["z"])
NOTE: str = count(["w"])
print(LABEL)
print(TOTAL)
print(NOTE)
