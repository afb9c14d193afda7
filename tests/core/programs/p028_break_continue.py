from _tools import score, llm

kept = []
for w in ["a", "bb", "ccc", "dddd", "eeeee", "ffffff"]:
    if len(w) == 2:
        continue
    s = score(w)
    if s > 900:
        print("break at", w)
        break
    kept.append((w, s))
print(kept)

found = None
for i in range(10):
    a = llm(f"try {i}")
    if a.endswith("7)") or i == 6:
        found = (i, a)
        break
else:
    print("no break")
print(found)
for i in range(2):
    pass
else:
    print("for-else ran")
