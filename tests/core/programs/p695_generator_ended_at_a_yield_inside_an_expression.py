"""A generator whose ``yield`` sits inside an expression (``total += (yield ...)``, a dict
display) is ended by a failing call as one whose ``yield`` is a statement: after the
consumer handled the error, the generator is over."""
from _tools import fail_if


def running_total(n):
    """Adds what it is sent."""
    total = 0
    for i in range(n):
        total += (yield fail_if(i, 1)) or 0
        print("resumed", i, total)
    return total


g = running_total(4)
got = []
try:
    v = next(g)
    while True:
        got.append(v)
        v = g.send(1)
except KeyError as e:
    print("error", e, got)
print(next(g, "over"), running_total.__doc__)


class Walker:
    def items(self, n):
        for i in range(n):
            data = {"item": (yield fail_if(i, 2))}
            print("data", data)


w = Walker().items(5)
seen = []
try:
    for x in w:
        seen.append(x)
except KeyError as e:
    print("walker", e, seen)
print(list(w))
