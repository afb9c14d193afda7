"""A print shows an answer (a list) and a slower call; right after it, library code changes
that list in place (heapq, bisect, a seeded shuffle, list.sort) or an external declared
mutates=True does: the print shows the list as it was."""
import bisect
import heapq
import random
import time

import opportune


@opportune.external
def slow(x: int) -> int:
    time.sleep(0.08)
    return x * 10


@opportune.external
def items(n: int) -> list:
    time.sleep(0.01)
    return [n + 5, n + 1, n + 3]


@opportune.external(mutates=True)
def append_to(values: list, value: int) -> int:
    time.sleep(0.01)
    values.append(value)
    return len(values)


x = items(1)
print(x, slow(1))
heapq.heappush(x, 0)
y = items(2)
print("y", y, slow(2))
bisect.insort(y, 4)
z = items(3)
print(z, slow(3), sep=" | ")
random.Random(1).shuffle(z)
m = items(4)
print([m, slow(4)])
list.sort(m)
w = items(5)
print(w, slow(5))
print("appended", append_to(w, 7))
print(x, y, z, m, w)
