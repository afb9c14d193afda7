"""A function running concurrently calls a static method of a class imported from another
module of the program (``Policy.limit()``), which reads that module's ``LIMIT`` when it runs.
The program then changes it as a module attribute (``_limits.LIMIT = 2``) and through the
module's own function (``set_limit``): each change waits, as plain Python ran the function
first."""
import _limits
from _limits import Policy
from _tools import score


def count(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n}/{Policy.limit()}"


first = count(["a", "b"])
_limits.LIMIT = 2
second = count(["c"])
_limits.set_limit(3)
third = count(["d", "e", "f"])
print(first, second, third, Policy.limit())
