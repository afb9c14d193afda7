"""The top-level list is kept under another name mid-way and given to a tool: the alias and
the tool see the items of that point, and later arms run in place."""
from _tools import describe, score

hits = []
snap = None
for q in range(6):
    s = score(f"a{q}")
    if s % 2:
        hits.append(q)
    if q == 2:
        snap = hits
        print("tool", describe(hits))
print(hits, snap, snap is hits)
