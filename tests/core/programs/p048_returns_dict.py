from _tools import record

r = record(4)
print(r)
print(r["tags"][1], r["meta"]["even"], r.get("missing", "dflt"))
r["tags"].append("local")
print(r["tags"], len(r), sorted(r))
merged = {**record(1), **{"id": 99}}
print(merged)
for k, v in record(2).items():
    print(k, v)
