"""A library container (Counter, deque) passed to an external and changed afterwards: the call
sees it as it was at the call."""
from collections import Counter, deque

import opportune


@opportune.external
def total(counts):
    import time

    time.sleep(0.02)
    return sum(counts.values())


@opportune.external
def first(items):
    import time

    time.sleep(0.02)
    return items[0]


c = Counter({"a": 1})
t = total(c)
c["a"] = 100
q = deque([1, 2])
f = first(q)
q.appendleft(0)
print(t, f, c, q)
