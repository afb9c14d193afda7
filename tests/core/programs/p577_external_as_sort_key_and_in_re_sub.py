"""An external used as the key of sorted/max/min/heapq, and in re.sub, map, filter."""
import heapq
import re
import time

import opportune


@opportune.external
def score(s: str) -> int:
    time.sleep(0.005)
    print("score", s)
    return sum(map(ord, s)) % 13


@opportune.external
def expand(word: str) -> str:
    time.sleep(0.005)
    return word.upper() * 2


items = ["alpha", "beta", "gamma", "delta", "eps"]
print(sorted(items, key=score))
print(max(items, key=score), min(items, key=score))
print(heapq.nlargest(2, items, key=score))
items.sort(key=lambda s: -score(s))
print(items)
print(re.sub(r"\b\w{4}\b", lambda m: expand(m.group()), "this is some text with four"))
m = map(score, items[:2])
print("made map")
print(list(m))
f = filter(lambda s: score(s) > 5, items)
print("made filter")
print(list(f))
print(dict(zip(items[:3], map(expand, items[:3]))))
