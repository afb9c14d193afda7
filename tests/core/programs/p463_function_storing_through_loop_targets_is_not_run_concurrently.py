"""Functions that store into their arguments or a class through ``for`` and comprehension
targets (``for d["k"] in words``, ``[... for d["w"] in words]``, ``for State.x in words``)
change objects the program sees after the call: they must not run on copies, out of program
order. A function that stores into a dict of its own that way still returns the right result."""
from _tools import score


class State:
    x = ""


def walk(d: dict[str, str], words: list[str]) -> int:
    total = 0
    for d["k"] in words:
        total += score(d["k"])
    return total


def walk_comprehension(d: dict[str, str], words: list[str]) -> int:
    return sum([score(w) for d["w"] in words for w in [d["w"]]])


def walk_class(words: list[str]) -> int:
    total = 0
    for State.x in words:
        total += score(State.x)
    return total


def own(words: list[str]) -> dict[str, int]:
    mine: dict[str, int] = {}
    for mine["n"], w in enumerate(words):
        if score(w) < 0:
            return {}
    return mine


d: dict[str, str] = {}
t1 = walk(d, ["a", "b"])
print(d)
t2 = walk_comprehension(d, ["c", "e"])
print(d)
t3 = walk_class(["f", "g"])
print(State.x)
print(t1, t2, t3, own(["x", "y", "z"]))
