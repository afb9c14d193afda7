"""Compiled in stages: a top-level loop collects into a list and a dict, and later stages
read and change them again; each read sees every change made before it."""
from _tools import llm, score

hits = []
table = {}
first = llm("start")
print("first", first)
for q in range(5):
    s = score(f"s{q}")
    if s % 2:
        hits.append(q)
        table[q] = s
    else:
        print("even", q)
note = "stage two"
print(note)
total = 0
for v in range(3):
    total += v
print("total", total)
label = "three"
label = label.upper()
print(label)
extra = []
for q in range(4):
    s = score(f"t{q}")
    if s % 3 == 0:
        hits.append(-q)
        extra.append(q)
print("middle", len(hits))
count = 0
count += 1
count += 2
print("count", count)
word = "done"
word = word + "!"
print(word)
for q in range(3):
    if score(f"u{q}") > 30:
        table[-q] = "big"
print(hits, table, extra)
