"""A bounded ``lru_cache``: which keys are evicted depends on the order of hits and misses,
which the calls through it keep (a miss after eviction calls again)."""
import functools
import time

import opportune

made = []


@opportune.external
def embed(text):
    time.sleep(0.005)
    return [len(text), ord(text[0])]


@functools.lru_cache(maxsize=2)
def vector(text):
    return embed(text)


order = ["alpha", "beta", "alpha", "gamma", "beta", "alpha", "gamma", "gamma"]
vectors = [vector(t) for t in order]
print(vectors)
print(vector.cache_info())
print([vectors[i] is vectors[j] for i, j in [(0, 2), (1, 4), (3, 6), (6, 7), (0, 5)]])
