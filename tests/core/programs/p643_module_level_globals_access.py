"""The script looks at its own names through globals() while the loop collects: every
look sees the list as plain Python has it then."""
from _tools import score

hits = []
for q in range(5):
    s = score(f"g{q}")
    if s % 2:
        hits.append(q)
    print(q, globals()["hits"])
globals()["hits"].append("direct")
print(hits)
