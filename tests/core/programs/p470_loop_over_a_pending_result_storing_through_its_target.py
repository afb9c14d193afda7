"""Loops over a result still being computed whose target stores into an object
(``for State.cur in hits``, ``for seen["k"] in hits``, a function's ``for box["cur"] in hs``)
are not run later on copies: each store reaches the program's own object, in program order,
as in plain Python."""
from _tools import llm, search


class State:
    cur = None


out = []
hits = search("top")
for State.cur in hits:
    out = out + [llm(State.cur)]
print(State.cur)
seen: dict[str, str] = {}
hits2 = search("two")
for seen["k"] in hits2:
    out = out + [llm(seen["k"])]
print(seen, out)


def run(q: str, box: dict[str, str]) -> list[str]:
    res = []
    hs = search(q)
    for box["cur"] in hs:
        res = res + [llm(box["cur"])]
    return res


box: dict[str, str] = {}
r = run("three", box)
print(box)
print(r)
