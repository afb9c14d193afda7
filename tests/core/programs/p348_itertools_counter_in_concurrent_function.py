"""Ids handed out by a module-level itertools.count (and labels from a cycle) in a function
that decides on an answer: they are taken in program order although the first answer is the
slowest."""
import itertools
import time

import opportune


@opportune.external
def score(x: str) -> int:
    time.sleep(0.06 if x == "a" else 0.01)
    return len(x)


ids = itertools.count(1)
colours = itertools.cycle(["red", "green", "blue"])


def label(x):
    s = score(x)
    if s > 0:
        return f"{next(ids)}:{x}"
    return x


def colour(x):
    s = score(x)
    return f"{next(colours)}{s}" if s else ""


print([label(w) for w in ["a", "bb", "ccc"]])
print([colour(w) for w in ["a", "bb", "ccc"]])
print(next(ids), next(colours))
