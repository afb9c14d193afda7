"""A ``for`` loop over a list that is still being computed: the loop runs once the list is
known, and the code after it goes on meanwhile."""
from _tools import llm, score, search

hits = search("restaurants")
chosen = []
for h in hits:
    s = score(h)
    if s % 2 == 0:
        chosen = chosen + [h]
else:
    finished = True
other = search("cars")
print(other)
print(chosen, finished, h)

# The loop variable keeps its old value when the list turns out empty.
h2 = "before"
for h2 in search("")[:0]:
    llm(h2)
print(h2)

# Unbound before, and the list is empty: the loop variable stays unbound.
for never_bound in search("x")[:0]:
    llm(never_bound)
try:
    print(never_bound)
except NameError as e:
    print("name error:", e)

# break and continue inside the deferred loop.
total = 0
for i, h in enumerate(search("many", k=6)):
    if i == 1:
        continue
    total = total + score(h)
    if i >= 3:
        break
print(total, i)

# A loop that changes a list the program holds waits instead.
seen = []
for h in search("seen"):
    seen.append(llm(h))
print(seen)


def best_of(query):
    best, arg = -1, None
    for h in search(query):
        s = score(h)
        if s > best:
            best, arg = s, h
    return arg


print(best_of("a"), best_of("b"))

# Nested: a loop inside a deferred loop, and a deferred if inside it.
grid = []
for row in search("rows", k=2):
    line = ""
    for cell in search(row, k=2):
        if score(cell) > 500:
            line = line + "#"
        else:
            line = line + "."
    grid = grid + [line]
print(grid)
