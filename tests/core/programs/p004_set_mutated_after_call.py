from _tools import describe

seen = {"a"}
r1 = describe(sorted(seen))
r2 = describe(frozenset(seen))
seen.add("b")
r3 = describe(len(seen))
seen.discard("a")
print(r1, r2, r3, sorted(seen))
