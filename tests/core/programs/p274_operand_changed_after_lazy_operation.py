"""An operation on a pending value and a list, dict or set of the program's (`p + lst`,
`[k] + lst`, `p == lst`, `lst.index(k)`) is computed later; the program changes that container
in place right after. The result is the one computed from the container as it was."""
from _tools import score, search

lst = ["x"]
p = search("q", 2)
x = p + lst
lst.append("y")
y = lst + p
lst.append("z")
k = score("ab")
z = [k] + lst
lst.append("w")
same = p == list(p)
d = {"a": [k]}
e = p + d["a"]
d["a"].append(5)
nums = [1, k, 3, k]
i = nums.index(k)
c = nums.count(k)
nums.insert(0, k)
nums.append(k)
print(x, y, z, same, e)
print(i, c)
