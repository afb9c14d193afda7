"""A seeded program draws random numbers in a function of its own that decides on an answer:
the draws happen in program order, as in plain Python, although the first answer is slowest."""
import random
import time
from random import random as uniform

import opportune


@opportune.external
def score(x: str) -> int:
    time.sleep(0.06 if x == "a" else 0.01)
    return len(x)


def pick(x):
    s = score(x)
    if s % 2:
        return round(random.random(), 4)
    return random.randint(0, 1000)


def jitter(x):
    s = score(x)
    return s + round(uniform(), 3) if s > 1 else s


random.seed(7)
print([pick(w) for w in ["a", "bb", "ccc", "dd"]])
print([jitter(w) for w in ["a", "bb", "ccc"]])
items = [score(w) for w in ["xx", "y", "zzz"]]
random.shuffle(items)
print(items, random.sample(range(100), 3))
