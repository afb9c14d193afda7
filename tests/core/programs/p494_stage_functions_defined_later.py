"""Compiled in stages: functions and a class defined in a later stage, one calling a function
defined in the first stage; a function of the first stage reads a global bound later."""
from _tools import add, llm


def early(x):
    return add(x, OFFSET)


first = llm("one")
OFFSET = 10
print("first", first.startswith("ans"))
values = [1, 2, 3]
print("values", values)
doubled = [v * 2 for v in values]
print("doubled", doubled)
text = ",".join(map(str, doubled))
print("text", text)


def later(v):
    return early(v) * 2


class Box:
    def __init__(self, v):
        self.v = v

    def bigger(self):
        return later(self.v)


counter = 0


def bump():
    global counter
    counter += 1
    return counter


second = llm("two")
print("second", second.startswith("ans"))
rows = []
for v in values:
    rows.append(v + 1)
print("rows", rows)
shifted = [r - 1 for r in rows]
print("shifted", shifted)
boxes = [Box(v) for v in values]
print("bigger", [b.bigger() for b in boxes])
print("bump", bump(), bump(), counter)
print("early", early(5))
print("names", later.__name__, Box.__qualname__, later.__code__.co_firstlineno)
print("module", later.__module__, Box.__module__)
