from _tools import search, record

for d in search("iterate", k=3):
    print("doc", d)
for k in record(3):
    print("key", k)
total = 0
for tag in record(4)["tags"]:
    total += len(tag)
print(total, list(iter(search("i", k=2))), [*record(5).values()][0])
