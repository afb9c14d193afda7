"""An ``lru_cache`` function handed to library code that calls it (``map``, ``sorted``'s
``key``): each call goes through a call site, so inside a ``try`` a failing call is not cached
and the retry calls again (before: the failure stayed cached and ended the program), and
outside one the calls overlap."""
import functools
import time

import opportune


@opportune.external
def flaky(q, _seen=set()):
    time.sleep(0.01)
    if q == "b" and q not in _seen:
        _seen.add(q)
        raise ConnectionError(f"first try of {q} failed")
    return q.upper()


@functools.lru_cache(maxsize=None)
def ask(q):
    return flaky(q)


for attempt in range(3):
    try:
        r = list(map(ask, ["a", "b", "c"]))
        print("got", r)
        break
    except ConnectionError as e:
        print("retrying after:", e, ask.cache_info())
print(ask.cache_info())
print(sorted(["c", "a", "e", "d"], key=ask), ask.cache_info())
more = list(map(ask, ["f", "g", "h", "f"]))
print(more, more[0] is more[3], ask.cache_info())
