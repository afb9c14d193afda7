"""A nested comprehension whose inner ``for`` stores through a target that is not a plain name
(``for o.x in expand(s)``) changes what the next ``expand`` call reads: the calls are not all
made first, each one sees the stores of the items before it, as in plain Python."""
from _tools import score


class Cursor:
    x = 0


cursor = Cursor()
state = {"k": 0}


def expand(s: int) -> list[int]:
    base = s * 10 + cursor.x
    if score(str(s)) >= 0:
        return [base, base + 1]
    return []


def grow(s: int) -> list[int]:
    return [s + state["k"], s + state["k"] + 1]


print([cursor.x for s in [1, 2, 3] for cursor.x in expand(s)])
print([state["k"] for s in [1, 2] for state["k"] in grow(s)])
print({s: state["k"] for s in [5, 6] for state["k"] in grow(s)})
