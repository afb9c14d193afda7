"""A deferred loop reads a call's result; the program then stores into it through a target
that is not a plain name (``box.rows[1] = v``, ``holder[0]["rows"][2] = v``,
``rec["meta"]["even"] = v``): the store waits for the loop, which sees the result as plain
Python's loop did."""
from _tools import record, score, search


class Box:
    def __init__(self, rows):
        self.rows = rows


hits = search("q", 3)
box = Box(hits)
found = []
for h in hits:
    found = found + [score(h)]
box.rows[1] = "zzz"
print(found, hits)

data = {"rows": search("w", 3)}
seen = []
for r in data["rows"]:
    seen = seen + [score(r)]
holder = [data]
holder[0]["rows"][2] = "yyy"
print(seen, data)

rec = record(3)
acc = []
for t in rec["tags"]:
    acc = acc + [f"{score(t)}{rec['meta']}"]
n = rec["id"] + 1
rec["meta"]["even"] = "changed"
print(acc, n, rec)
