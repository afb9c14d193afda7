"""The program changes, in place, a list that a deferred loop has yet to read: the loop still
sees it as plain Python's loop did (the change waits for the loop)."""
from _tools import score, search

hits = search("q")
acc = []
for h in hits:
    acc = acc + [score(h)]
hits.append("extra")
hits[0] = "changed"
print(len(acc), hits)

docs = search("d")
n = 0
for d in docs:
    n = n + score(d)
docs += ["more"]
docs.sort()
print(n, docs)

table = {"rows": search("t")}
seen = 0
for row in table["rows"]:
    seen = seen + score(row)
table["rows"].clear()
print(seen, table)
