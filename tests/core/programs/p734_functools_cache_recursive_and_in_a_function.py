"""``functools.cache`` on a recursive function of the program and a cached helper used from
another function: results, identity and counts as in plain Python."""
import functools
import time

import opportune


@opportune.external
def cost(n):
    time.sleep(0.002)
    return n % 3 + 1


@functools.cache
def best(n):
    if n <= 1:
        return cost(n)
    return min(best(n - 1), best(n - 2)) + cost(n)


@functools.cache
def summary(topic):
    return f"summary of {topic}: {cost(len(topic))}"


def report(topics):
    lines = [summary(t) for t in topics]
    return "\n".join(lines)


print(best(12), best.cache_info())
print(report(["x", "yy", "x", "zzz"]))
print(summary.cache_info())
print(summary("x") is summary("x"))
