from _tools import put, get, llm

print(get("k"))  # before any write
w1 = put("k", llm("v1"))
r1 = get("k")
w2 = put("k", "v2")
r2 = get("k")
r3 = get("other")
print(w1, r1, w2, r2, r3)
