"""The filter/collect loop at the top level of the script: the list, the dict and the set
collect in program order, and the prints between them keep their places."""
from _tools import llm, score

hits = []
by_q = {}
seen = set()
for q in range(6):
    s = score(f"m{q}")
    if s % 2:
        print("found", q, s)
        hits.append(q)
        by_q[q] = s
        seen.add(s % 5)
    else:
        print("skip", q)
print(hits, by_q, sorted(seen))
print(len(hits), llm("after"))
