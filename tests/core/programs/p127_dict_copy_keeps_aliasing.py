from _tools import add

a = [add(1, 2)]
d = {"x": a}
e = dict(d)
e["x"].append(5)
print(d, e["x"] is d["x"])
