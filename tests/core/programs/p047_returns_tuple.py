from _tools import pair

a, b = pair(3)
print(a, b)
first, *rest = pair(5) + pair(6)
print(first, rest)
pairs = [pair(i) for i in range(3)]
for n, label in pairs:
    print(n, label)
print(dict(pairs), len(pairs[0]), pairs[1][1][-1])
