"""The loop stands in a top-level try whose handler reads the list: it sees exactly the
items collected before the failure."""
from _tools import fail_if, score

hits = []
try:
    for q in range(6):
        s = score(f"t{q}")
        if s % 2:
            hits.append(fail_if(q, 4))
        else:
            hits.append(-q)
        print("step", q, hits)
except KeyError as e:
    print("caught", e, hits)
print("after", hits)
