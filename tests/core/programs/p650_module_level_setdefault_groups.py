"""The grouping loop at the top level of the script, with sets and dicts as the groups."""
from _tools import llm, score

tags = {}
pairs = {}
for q in range(6):
    s = score(f"t{q}")
    if s % 2:
        tags.setdefault("odd", set()).add(s % 7)
        pairs.setdefault(q % 2, {}).update({q: s})
    else:
        tags.setdefault("even", set()).add(q)
print(sorted(tags), {k: sorted(v) for k, v in tags.items()})
print(pairs)
print(llm("done"))
