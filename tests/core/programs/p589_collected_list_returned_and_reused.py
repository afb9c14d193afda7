"""The list is returned: the caller sees every change; a second call builds a fresh one."""
from _tools import score


def collect(tag):
    hits = []
    for q in range(5):
        if score(f"{tag}{q}") % 2:
            hits.append(f"{tag}{q}")
    return hits


a = collect("r")
b = collect("s")
a.append("extra")
print(a, b, a is b)
