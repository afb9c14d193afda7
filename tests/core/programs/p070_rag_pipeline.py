from dataclasses import dataclass

from _tools import search, llm, score


@dataclass
class Passage:
    doc: str
    relevance: int


def retrieve(q):
    return [Passage(d, score(q + d)) for d in search(q, k=4)]


def answer(q):
    passages = sorted(retrieve(q), key=lambda p: p.relevance, reverse=True)[:2]
    context = "\n".join(p.doc for p in passages)
    return llm(f"context: {context}\nquestion: {q}")


for q in ["what is rain", "who built rome"]:
    print(q, "=>", answer(q))
