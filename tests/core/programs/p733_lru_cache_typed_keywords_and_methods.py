"""``typed=True``, keyword arguments (a different key from the same positional call) and an
``lru_cache`` method (the instance is part of the key), with pending arguments from an earlier
call: the key waits for them, then the calls overlap."""
import functools
import time

import opportune


@opportune.external
def lookup(x, unit="m"):
    time.sleep(0.005)
    return f"{x!r}{unit}"


@functools.lru_cache(maxsize=None, typed=True)
def measure(x, unit="m"):
    return lookup(x, unit=unit)


class Agent:
    def __init__(self, name):
        self.name = name

    @functools.lru_cache(maxsize=8)
    def answer(self, q):
        return lookup(f"{self.name}:{q}")

    def __hash__(self):
        return hash(self.name)

    def __eq__(self, other):
        return isinstance(other, Agent) and other.name == self.name


results = [measure(3), measure(3.0), measure(3), measure(x=3), measure(3, unit="m"),
           measure(3, "km")]
print(results, measure.cache_info())
a, b = Agent("a"), Agent("b")
words = [a.answer("x"), b.answer("x"), Agent("a").answer("x")]
print(words, words[0] is words[2], Agent.answer.cache_info())
key = lookup("k")
print(measure(key), measure("'k'm"), measure.cache_info())
