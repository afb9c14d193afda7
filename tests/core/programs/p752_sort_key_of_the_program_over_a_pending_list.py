"""sorted/min/max/heapq over a list still being fetched, with a key of the program's.

A key that prints or asks a model runs where plain Python runs it, on the program's thread,
in program order (its prints after the queued print of an earlier answer, its calls issued
and recorded as any other); a key that makes no call (a lambda reading an item) still lets
the sort be applied once the list arrives.
"""
import heapq
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.03)
    return f"A[{prompt}]"


@opportune.external
def search(query: str, k: int = 3) -> list[str]:
    time.sleep(0.01)
    return [f"{query}-doc{i}{'x' * ((i * 7) % 4)}" for i in range(k)]


@opportune.external
def relevance(query: str, doc: str) -> int:
    time.sleep(0.01)
    return (len(doc) * 31 + len(query)) % 17


def loud_key(doc):
    print("key of", doc)
    return len(doc)


print("first answer", ask("first"))
docs = search("tea", k=4)
ranked = sorted(docs, key=loud_key)
print("after sorted", ranked)

print("second answer", ask("second"))
hits = search("coffee", k=5)
best = max(hits, key=lambda d: relevance("coffee", d))
worst = min(hits, key=lambda d: (print("min key", d), relevance("coffee", d))[1])
print("best", best, "worst", worst)

top = sorted(search("milk", k=5), key=lambda d: relevance("milk", d), reverse=True)[:2]
print("top", top)

plain = sorted(search("water", k=4), key=lambda d: d[-1], reverse=True)
print("by last letter", plain)
print("largest", heapq.nlargest(2, search("juice", k=4), key=loud_key))
print("by length", sorted(search("soda"), key=len))
