"""Answers (a list, a dict) changed through unbound methods of their class
(``dict.update(d, ...)``, ``list.append(xs, x)``) and through the operator module's in-place
functions (``operator.setitem``, ``operator.iadd``), right after a print that shows them and
waits for a slower call: each change happens where plain Python made it, on the answer
itself, and the print shows the answer as it was."""
import operator
import time

import opportune


@opportune.external
def items(n: int) -> list:
    time.sleep(0.01)
    return [n + 5, n + 1, n + 3]


@opportune.external
def record(n: int) -> dict:
    time.sleep(0.01)
    return {"n": n}


@opportune.external
def slow(x: int) -> int:
    time.sleep(0.08)
    return x * 10


d = record(1)
print(d, slow(1))
dict.update(d, seen=True)
xs = items(2)
print(xs, slow(2))
list.append(xs, "appended")
ys = items(3)
print(ys, slow(3))
operator.setitem(ys, 0, "set")
zs = items(4)
print(zs, slow(4))
operator.iadd(zs, ["added"])
s = set(items(5))
set.add(s, 0)
print(d, xs, ys, zs, sorted(s))
print(dict.get(record(6), "n"), list.__getitem__(items(7), 1))
