"""Nested comprehensions whose inner iterable is a call: the calls may all be made first,
the items come out in the same order."""
from _tools import search, score, llm
frontier = ["a", "b", "c"]
out = [h for s in frontier for h in search(s, k=2)]
print(out)
d = {h: i for i, s in enumerate(frontier) if i != 1 for h in search(s)}
print(d)
st = {x for (a, b) in [("p", 1), ("q", 2)] for x in search(a * b) if x != "doc-1"}
print(sorted(st))
def gen(n):
    print("gen", n)
    yield n
    yield n + 1
print([y for n in range(3) for y in gen(n)])


def expand(word):
    return [w for w in search(word, k=2) if score(w) % 3 != 0]


print([x for w in ["m", "n", "o"] for x in expand(w)])
print([x for w in ["m", "n"] for x in expand(w) if llm(x)])  # a call in the inner condition
