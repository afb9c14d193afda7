"""Objects passed to externals whose classes define hooks that copying would run
(__getattribute__, __getattr__, __new__): plain Python runs none of them at the call, so the
program sees no extra attribute reads and no extra instances."""
import time

import opportune

SEEN = []


@opportune.external
def size_of(n: int) -> int:
    time.sleep(0.01)
    return n * 2


@opportune.external
def describe(obj) -> str:
    time.sleep(0.01)
    return f"obj with {obj.size}"


class Watched:
    def __init__(self, size):
        self.size = size

    def __getattribute__(self, name):
        SEEN.append(name)
        return object.__getattribute__(self, name)


class Counted:
    made = 0

    def __new__(cls, *args):
        Counted.made += 1
        return super().__new__(cls)

    def __init__(self, size):
        self.size = size


class Proxy:
    def __init__(self, target):
        self._target = target

    def __getattr__(self, name):
        SEEN.append(("proxy", name))
        return getattr(self._target, name)


w = Watched(size_of(3))
print(describe(w))
v = [Watched(1), Watched(size_of(2))]
print(len(v), describe(v[1]))
print(describe(Counted(size_of(4))), Counted.made)
print(describe(Proxy(Counted(5))), Counted.made)
print(describe({"inner": [Watched(7)]}["inner"][0]))
print(SEEN)
