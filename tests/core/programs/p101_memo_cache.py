from _tools import llm

cache = {}


def cached_llm(q):
    if q not in cache:
        cache[q] = llm(q)
    return cache[q]


out = [cached_llm(q) for q in ["a", "b", "a", "c", "b"]]
print(out, len(cache))
print(out[0] is out[2])
