"""``if`` arms with calls that cannot run later: they change the program's objects, print,
leave the loop, or return. Each waits for its condition and behaves as in plain Python."""
from _tools import llm, score

items = []
for w in ["a", "bb", "ccc"]:
    if score(w) > 3:
        items.append(llm(w))
print(items)

log = {"n": 0}
if score("k") >= 0:
    log["n"] = len(llm("x"))
print(log)

for w in ["x", "yy", "zzz"]:
    if score(w) > 5:
        print("big", llm(w))
        break
    else:
        print("small", w)


def first_big(words):
    for w in words:
        if score(w) > 5:
            return llm(w)
    return None


print(first_big(["p", "qq", "rrr"]))


class Box:
    def __init__(self):
        self.v = 0


box = Box()
if score("b") >= 0:
    box.v = llm("b")
print(box.v)

acc = []
r = acc.append(llm("a")) if score("a") >= 0 else None
print(acc, r)
d = {}
r2 = d.update(x=llm("u")) if score("u") >= 0 else None
print(d, r2)
