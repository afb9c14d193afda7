import functools

from _tools import search, add

top1 = functools.partial(search, k=1)
plus10 = functools.partial(add, 10)
print([top1(q) for q in ["a", "b"]])
print(list(map(plus10, range(4))))
print(top1.func.__name__, plus10.args)
