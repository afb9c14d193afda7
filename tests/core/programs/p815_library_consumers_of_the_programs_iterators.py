"""Library consumers of the program's iterators over answers, one after another.

Each library function gets a generator of the program's, or ``map``/``zip``/``filter``/
``itertools`` over one, and must see what plain Python shows it: real items, taken in the
same order, the generator's own prints between the library's writes (``sys.stdout``). C code
that checks types (``array.array``, ``writelines``, ``shlex.join``) would reject a stand-in. Library code that looks at the iterator object itself
(``inspect``, ``copy``, ``weakref``) gets the program's own.
"""
import array
import collections
import copy
import csv
import functools
import heapq
import inspect
import io
import itertools
import json
import math
import operator
import os
import random
import shlex
import statistics
import sys
import time
import weakref

import opportune

@opportune.external
def ask(x: str) -> str:
    time.sleep(0.01)
    return f"A{x}"

@opportune.external
def num(x: str) -> int:
    time.sleep(0.01)
    return len(x) * 3 + ord(x[0]) % 5

def g():
    for x in "ab":
        print("gen", x)
        yield ask(x) + "\n"


sys.stdout.writelines(g())
w = csv.DictWriter(sys.stdout, fieldnames=["k", "v"])
w.writerows({"k": x, "v": ask(x)} for x in "cd")
print(shlex.join(map(ask, "ef")), os.path.join(*map(ask, "gh")))
print(statistics.mean(map(num, "ij")), math.prod(num(x) for x in "kl"), math.fsum(map(num, "mn")))
print(functools.reduce(operator.add, (ask(x) for x in "op")))
print(list(itertools.starmap(lambda a, b: ask(a + b), [("q", "r"), ("s", "t")])))
print(list(heapq.merge((num(x) for x in "uv"), [1, 100])))
print(collections.OrderedDict(zip("wx", map(ask, "wx"))))
print(bytes(map(num, "yz")), array.array("u", map(str.upper, (ask(x)[1] for x in "ab"))))
print(dict.fromkeys(map(ask, "ab")), set().union(map(ask, "ab")) == {"Aa", "Ab"})
print(*map(ask, "cd"), sep=",")
print(tuple(filter(None, map(ask, "ef"))), min(map(num, "gh"), default=0))
print(list(zip(*map(ask, "ij"))))
for i, a in enumerate(map(ask, "kl"), start=1):
    print(i, a)
print(json.dumps(list(map(ask, "mn"))), "-".join(sorted(map(ask, "po"))))
buf = io.StringIO()
buf.writelines(itertools.islice((ask(x) for x in "abcdef"), 2))
buf.writelines(itertools.chain.from_iterable([(ask(x) for x in "gh"), ["!"]]))
print(buf.getvalue())
print(random.Random(0).sample(list(map(ask, "abc")), 2))
print(sorted(collections.Counter(map(ask, "aba")).items()))
print(list(map(str.upper, map(ask, "ab"))), list(map(len, filter(None, map(ask, "cd")))))
print(list(map(lambda s: s.upper(), filter(lambda s: s.endswith("b"), map(ask, "ab")))))
print(max(zip(map(num, "ab"), "ab")))

gen = (ask(x) for x in "xyz")
print(inspect.getgeneratorstate(gen), next(gen), inspect.getgeneratorstate(gen))
mapped = map(str.lower, ["P", "Q"])
print(list(copy.copy(mapped)), list(mapped))
print(weakref.ref(gen)() is gen)
