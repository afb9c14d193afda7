"""RAG: an external reranker returns some of the documents it was given (a new list of them,
one of them, a (document, score) pair); the program marks the returned documents and prints
its corpus, which shows the marks as in plain Python."""
import time
from dataclasses import dataclass, field

import opportune


@dataclass
class Doc:
    id: int
    text: str
    tags: list = field(default_factory=list)


@opportune.external
def rerank(query: str, docs: list) -> list:
    time.sleep(0.02)
    return sorted([d for d in docs if query in d.text], key=lambda d: -len(d.text))


@opportune.external
def best(docs: list) -> tuple:
    time.sleep(0.01)
    top = max(docs, key=lambda d: len(d.text))
    return top, len(top.text)


@opportune.external
def passthrough(doc: Doc) -> Doc:
    time.sleep(0.01)
    return doc


corpus = [Doc(1, "tea leaves"), Doc(2, "coffee"), Doc(3, "green tea from hills")]
top = rerank("tea", corpus)
for rank, d in enumerate(top):
    d.tags.append(f"rank{rank}")
doc, score = best(corpus)
doc.tags.append(f"best:{score}")
same = passthrough(corpus[1])
same.text = same.text.upper()
print(corpus)
print(top[0] is corpus[2], doc is corpus[2], same is corpus[1])
