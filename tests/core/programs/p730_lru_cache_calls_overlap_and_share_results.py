"""Calls through ``functools.lru_cache`` around the program's function: a repeated key returns
the very object the first call returned and makes no second call, and ``cache_info()`` counts
hits, misses and size as plain Python does (runtime/caches.py)."""
import functools
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.01)
    return {"q": q, "answer": q.upper()}


@functools.lru_cache(maxsize=None)
def cached(q):
    return ask(q)


first = [cached(q) for q in ["a", "b", "c"]]
again = [cached(q) for q in ["c", "a"]]
print(first)
print(again[0] is first[2], again[1] is first[0])
print(cached.cache_info())
first[0]["seen"] = True
print(cached("a"))
cached.cache_clear()
print(cached.cache_info())
print(cached("a") is first[0], cached("a"))
print(cached.cache_info())
