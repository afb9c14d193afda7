import sys

from _tools import add


def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)


print(sys.getrecursionlimit())
print(depth(700))


def chain(n):
    if n == 0:
        return add(0, 0)
    return chain(n - 1) + 1


print(chain(300))
