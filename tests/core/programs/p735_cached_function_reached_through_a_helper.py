"""A function that reaches a ``functools.cache`` function only through a helper is not run
concurrently: run on its own thread it called the cache after the program had read
``cache_info()`` (before: hits=0, misses=1, currsize=0 on both lines), and the calls through
the wrapper must reach it in program order (spawn._reaches_a_cache)."""
import functools
import time

import opportune


@opportune.external
def cost(n):
    time.sleep(0.002)
    return n % 3 + 1


@functools.cache
def summary(topic):
    return f"summary of {topic}: {cost(len(topic))}"


def line(t):
    return summary(t)


def report(topics):
    lines = [line(t) for t in topics]
    return "\n".join(lines)


r = report(["x", "yy", "x", "zzz"])
print(summary.cache_info())
print(r)
print(summary.cache_info())
