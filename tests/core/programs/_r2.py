from _tools import record, score, search


class Box:
    def __init__(self, rows):
        self.rows = rows


rec = record(3)
acc = []
for t in rec["tags"]:
    acc = acc + [score(t)]
rec["tags"][0] = "changed"
print(acc)

hits = search("q", 3)
box = Box(hits)
found = []
for h in hits:
    found = found + [score(h)]
box.rows[1] = "zzz"
print(found)

data = {"rows": search("w", 3)}
seen = []
for r in data["rows"]:
    seen = seen + [score(r)]
holder = [data]
holder[0]["rows"][2] = "yyy"
print(seen)
