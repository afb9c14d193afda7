"""RAG: dataclass Document, sort by score with key=lambda, heapq.nlargest, dedup via set of tuples."""
import heapq
import time
from dataclasses import dataclass, field

import opportune


@dataclass
class Document:
    id: int
    text: str
    score: float = 0.0
    tags: list = field(default_factory=list)


@opportune.external
def embed_score(query: str, text: str) -> float:
    time.sleep(0.01)
    return round(sum(ord(c) for c in text) % 97 / 97 + len(set(query) & set(text)) / 10, 4)


@opportune.external
def answer(query: str, context: str) -> str:
    time.sleep(0.02)
    return f"{query} :: {context[:40]}"


corpus = [Document(i, t) for i, t in enumerate(
    ["tea grows in hills", "coffee beans", "tea grows in hills", "cocoa pods", "green tea", "coffee beans"])]
query = "tea"
for d in corpus:
    d.score = embed_score(query, d.text)
seen = set()
unique = []
for d in corpus:
    key = (d.text, d.score)
    if key in seen:
        continue
    seen.add(key)
    unique.append(d)
ranked = sorted(unique, key=lambda d: d.score, reverse=True)
print([(d.id, d.score) for d in ranked])
top = heapq.nlargest(2, unique, key=lambda d: d.score)
print([d.id for d in top])
context = "\n".join(d.text for d in top)
print(answer(query, context))
best = max(corpus, key=lambda d: (d.score, -d.id))
best.tags.append("best")
print(best)
print(min(unique, key=lambda d: d.score).text)
