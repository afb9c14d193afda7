"""At the top level: the list and a group dict go to a tool in every iteration, each call
gets them as they were then."""
from _tools import describe, score

hits = []
groups = {}
seen = []
for q in range(5):
    s = score(f"d{q}")
    if s % 2:
        hits.append(q)
        groups.setdefault(s % 3, []).append(q)
    seen.append(describe(hits))
    seen.append(describe(groups))
print(seen)
print(hits, groups)
