"""An elif chain on pending scores, four levels deep: each level is if-converted with one copy
of its arms, run once per arm to speculate or once as written."""
from _tools import score

best, kind = 0, "none"
for word in ["a", "bb", "ccc", "dd", "e"]:
    s = score(word) % 10
    if s > best:
        best = s
        kind = "up"
    elif s == best:
        kind = "same"
    elif s > 2:
        if s > 4:
            kind = "mid"
        else:
            kind = "low"
    else:
        kind = "tiny"
    print(word, s, best, kind)

print("end")
