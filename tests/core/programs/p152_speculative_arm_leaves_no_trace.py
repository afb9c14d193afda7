"""Branches on pending answers whose arms would change a list in place or run a property:
an arm that plain Python does not take must leave no trace."""
from _tools import llm, score


class Box:
    @property
    def value(self):
        print("property read")
        return 1


acc = []
for word in ["a", "bb", "ccc"]:
    s = score(word)
    if s > 1:
        acc += [word]
print(acc)

box = Box()
answer = llm("x")
if answer == "never":
    x = box.value
else:
    x = 0
print(x)

total = 0
for word in ["dd", "e"]:
    s = score(word)
    if s > 1:
        total += s
print(total)
y = box.value if llm("y") == "never" else -1
print(y, llm("z") == "never" and box.value)


class Loud:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        print("adding", self.v)
        return Loud(self.v + other)


acc2 = Loud(0)
for word in ["a", "bb"]:
    if score(word) > 5:
        acc2 = acc2 + 1
print(acc2.v)
