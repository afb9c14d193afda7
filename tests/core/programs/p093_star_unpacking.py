from _tools import search, pair

head, *tail = search("star", k=4)
print(head, tail)
*init, last = [pair(i) for i in range(3)]
print(init, last)
merged = [*search("a", k=1), *pair(9)]
print(merged)
(a, b), c = pair(1), pair(2)
print(a, b, c)
