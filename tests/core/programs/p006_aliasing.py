from _tools import describe, add

a = [1, 2]
b = a
c = [a, a]
b.append(add(1, 2))
print(a, b, c)
print(a is b, c[0] is c[1])
r = describe(c)
a.append(9)
print(r)
print(c)
d = {"x": a}
e = dict(d)
e["x"].append(add(3, 4))
print(d, e, d["x"] is e["x"])
