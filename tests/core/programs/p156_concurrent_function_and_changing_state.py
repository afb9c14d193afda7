"""A function of the program's own runs concurrently only if nothing it reads can change:
a library container changed later, or an external that changes its argument or a global."""
from collections import Counter

import opportune
from _tools import llm

LOG = []


@opportune.external(mutates=True)
def add_item(items):
    items.append(1)


@opportune.external
def logged(x):
    LOG.append(x)
    return x


def count_hits(counts, prompt):
    total = 0
    for w in llm(prompt).split("#"):
        total += counts[w]
    return total


counts = Counter({"ans(p": 1})
t = count_hits(counts, "p")
counts["ans(p"] = 100
print(t)


def f(items):
    add_item(items)
    return len(items)


items = []
print(f(items), items)


def g(x):
    y = logged(x)
    return y if y else 0


print(g(5), LOG)
