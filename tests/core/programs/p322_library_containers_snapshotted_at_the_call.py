"""Data containers of the standard library (Counter, OrderedDict, defaultdict, deque,
array.array, ChainMap, UserDict, one nested in a list, one holding a pending value) are
passed to an external as they were at the call: changes the program makes afterwards do not
reach the running call, and a defaultdict keeps its default_factory."""
import array
import collections
from _tools import describe, llm, shape

c = collections.Counter(a=1)
r1 = describe(c)
c["a"] += 100
od = collections.OrderedDict(x=1)
r2 = describe(od)
od["y"] = 2
dd = collections.defaultdict(list, {"k": [1]})
r3 = describe(dd)
dd["k"].append(2)
dq = collections.deque([1, 2])
r4 = describe(dq)
dq.append(3)
ar = array.array("i", [1])
r5 = describe(ar)
ar.append(2)
ch = collections.ChainMap({"a": 1})
r6 = describe(ch)
ch["b"] = 2
ud = collections.UserDict(a=1)
r7 = describe(ud)
ud["b"] = 2
nested = [collections.Counter(z=1)]
r8 = describe(nested)
nested[0]["z"] += 5
print(r1, r2, r3, r4, r5, r6, r7, r8, sep="\n")

held = collections.defaultdict(list)
held["a"].append(llm("x"))
s1 = describe(held)
held["a"].append("later")
held["b"]
od2 = collections.OrderedDict(k=llm("y"))
s2 = shape(od2)
od2["k2"] = 1
ring = collections.deque([llm("z")], maxlen=3)
s3 = describe(ring)
ring.append(1)
print(s1, s2, s3, sep="\n")
print(dict(held), od2, ring)
