"""A lookup with a key that is a pending answer (``counts.get(w, 0)``, ``names.count(w)``)
is computed once the answer exists; the container it reads is changed by the program right
after (word counting, dedup). Plain Python read it before the change: the lookup must see the
container as it was, and must not end up reading its own result (which hung)."""
from _tools import llm

counts = {}
for i in range(4):
    w = llm(str(i % 2))
    counts[w] = counts.get(w, 0) + 1
print(counts)

seen = {}
w = llm("a")
before = seen.get(w, "new")
seen[w] = "old"
print(before, seen)

cache = {llm("b"): 1}
k = llm("b")
present = k in cache.keys() or cache.__contains__(k)
hit = cache.get(k)
cache.update({k: 2})
cache.setdefault(llm("c"), 3)
print(present, hit, cache)

names = ["x"]
n = llm("n")
before_count = names.count(n)
names.append(n)
names += [n]
print(before_count, names.count(n), len(names))

table = {}
for word in ["p", "q", "p"]:
    ans = llm(word)
    slot = table.get(ans)
    if slot is None:
        table[ans] = slot = []
    slot.append(word)
print(table)
pos = names.index(llm("n"))
del names[pos]
names.insert(0, "first")
print(pos, names)
