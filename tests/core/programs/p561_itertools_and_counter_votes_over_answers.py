"""itertools.groupby/chain/islice over answers, collections.Counter votes."""
import collections
import itertools
import time

import opportune


@opportune.external
def vote(model: str, q: str) -> str:
    time.sleep(0.01)
    return ["yes", "no", "yes", "maybe"][(len(model) + len(q)) % 4]


@opportune.external
def tag(item: str) -> str:
    time.sleep(0.01)
    return item[0]


models = ["a", "bb", "ccc", "dddd", "eeeee"]
votes = [vote(m, "is it?") for m in models]
c = collections.Counter(votes)
print(c.most_common(2), c["yes"], c["never"])
winner, n = c.most_common(1)[0]
print("winner", winner, n)
items = ["apple", "avocado", "banana", "blueberry", "cherry", "apricot"]
tags = [tag(i) for i in items]
pairs = sorted(zip(tags, items))
for key, group in itertools.groupby(pairs, key=lambda p: p[0]):
    print(key, [g[1] for g in group])
flat = list(itertools.chain(votes, tags, itertools.chain.from_iterable([votes[:1], tags[-1:]])))
print(flat)
print(list(itertools.islice(votes, 1, 4)))
print(list(itertools.islice((tag(x) for x in items), 2)))
c.update(tags)
print(sorted(c.items()))
print(list(itertools.accumulate(len(v) for v in votes)))
print(dict(collections.Counter(tag(x) for x in items)))
