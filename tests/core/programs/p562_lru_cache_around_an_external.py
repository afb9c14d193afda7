"""functools.lru_cache on a function that calls an external."""
import functools
import time

import opportune

CALLS = []


@opportune.external
def fetch(key: str) -> str:
    time.sleep(0.02)
    CALLS.append(key)
    return key.upper()


@functools.lru_cache(maxsize=None)
def cached(key: str) -> str:
    return fetch(key) + "!"


@functools.cache
def cached2(key: str, n: int = 1) -> str:
    return fetch(key) * n


out = [cached(k) for k in ["a", "b", "a", "c", "b"]]
print(out)
print(cached.cache_info())
print(cached2("x", 2), cached2("x", 2), cached2("y"))
print(cached2.cache_info().hits, cached2.cache_info().misses)
cached.cache_clear()
print(cached("a"))
print(CALLS)
