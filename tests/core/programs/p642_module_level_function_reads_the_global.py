"""A function of the script reads the top-level list while arms may still change it: it sees
every change made before the call, as in plain Python."""
from _tools import score

hits = []


def report(tag):
    return f"{tag}: {len(hits)} {hits}"


for q in range(6):
    s = score(f"f{q}")
    if s % 3:
        hits.append(q)
    print(report(q))
print(report("end"))
