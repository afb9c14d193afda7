import math
from collections import Counter, defaultdict

text = "the quick brown fox jumps over the lazy dog the end"
counts = Counter(text.split())
print(counts.most_common(3))
groups = defaultdict(list)
for w in text.split():
    groups[len(w)].append(w)
print(dict(sorted(groups.items())))
primes = [n for n in range(2, 60) if all(n % d for d in range(2, int(math.isqrt(n)) + 1))]
print(primes)


def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


print(max(range(1, 200), key=collatz))
