# ruff: noqa: F821 - the program rebinds and deletes the global name len on purpose
"""Builtins called on pending answers, on plain values, and through names the program shadows
or rebinds (even while the call's own arguments are evaluated)."""
from _tools import pair, square


def ext(x):
    return square(x)


def items(n):
    return pair(n)[0] * [0] + list(range(n))

calls = []

def rebind():
    global len
    len = lambda x: ("fake", x)
    calls.append("rebound")
    return [1, 2]

def f():
    a = ext(3)
    xs = items(4)
    print(len(xs), max(a, 2), str(a).upper(), int(a) + 1, isinstance(a, int), abs(-a))
    print(list(enumerate(xs)), sorted([3, 1, 2]), sum(xs), min(xs), range(len(xs)))
    print([str(i) for i in range(3)], any(x > 2 for x in xs), all(isinstance(x, int) for x in xs))
    g = (x for x in xs)
    print(list(g), tuple(x * 2 for x in range(3)), dict(a=1), set("aa"))
    print(len(rebind()), len("abc"))

def shadow():
    len = lambda v: "local"
    return len([1])

f()
print(shadow(), calls)
del len
enumerate = lambda xs: ["mine", xs]
print(enumerate([1]), len([1, 2, 3]), str(b"x"), repr("q"), format(3.5, ".1f"), hash(1))
