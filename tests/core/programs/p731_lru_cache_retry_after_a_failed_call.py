"""A call through ``functools.lru_cache`` that fails is not cached: the retry after ``except``
calls again and gets the new answer, and ``cache_info()`` in the handler shows no entry (before:
the pending failure stayed in the cache and the retry raised it again)."""
import functools
import time

import opportune


@opportune.external
def flaky(q, _seen=set()):
    time.sleep(0.01)
    if q not in _seen:
        _seen.add(q)
        raise ConnectionError(f"first try of {q} failed")
    return q.upper()


@functools.lru_cache(maxsize=None)
def ask(q):
    return flaky(q)


for q in ["a", "b"]:
    for attempt in range(3):
        try:
            r = ask(q)
            print("got", r, "on attempt", attempt)
            break
        except ConnectionError as e:
            print("retrying after:", e, ask.cache_info())
print(ask.cache_info())
print(ask("a") is ask("a"), ask("b"))
