from _tools import search, record, describe

docs = search("m", k=2)
docs.append("local")
docs.sort()
print(docs)
r = record(5)
r["tags"].insert(0, "first")
r["new"] = describe(r["tags"])
r["tags"].pop()
print(r)
