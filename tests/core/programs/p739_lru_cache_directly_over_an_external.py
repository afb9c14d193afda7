"""``functools.lru_cache`` straight over an external (no function of the program between):
on a miss the wrapper calls the external's entry, which issues the call without waiting, so
the distinct keys' calls overlap (before: one at a time) and a repeated key returns the same
object; inside a ``try`` a failing call is not cached and the retry calls again."""
import functools
import time

import opportune


@functools.lru_cache(maxsize=None)
@opportune.external
def embed(text):
    time.sleep(0.01)
    return (len(text), text[:2])


@functools.lru_cache(maxsize=4)
@opportune.external
def flaky(q, _seen=set()):
    time.sleep(0.005)
    if q not in _seen:
        _seen.add(q)
        raise TimeoutError(f"{q} timed out")
    return q * 2


vectors = [embed(t) for t in ["alpha", "beta", "alpha", "gamma"]]
print(vectors, vectors[0] is vectors[2], embed.cache_info())
for attempt in range(2):
    try:
        print(flaky("ab"), flaky.cache_info())
    except TimeoutError as e:
        print("retry after", e, flaky.cache_info())
