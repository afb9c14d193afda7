"""Multi-hop question answering, HotpotQA shape: 2 independent searches, then one answer.

One of LLMCompiler's evaluation shapes; the question's entities are given, as in its plans.
"""

from __future__ import annotations

import asyncio
import sys

from benchmarks.apps._common import AppSpec, AsyncLLM, Timing
from benchmarks.apps._tools import asearch, search
from opportune import llm
from opportune.sim import Rule

QUESTION = 'Were Scott Derrickson and Ed Wood of the same nationality?'
ENTITIES = ['Scott Derrickson', 'Ed Wood']


def answer(question, entities):
    evidence = [search(entity) for entity in entities]
    context = "\n".join(evidence)
    return llm.complete(f"Answer the question using the evidence.\nEvidence:\n{context}\n"
                        f"Question: {question}\nAnswer:")


def main():
    print(answer(QUESTION, ENTITIES))


async def amain():
    client = AsyncLLM()
    try:
        evidence = await asyncio.gather(*(asearch(entity) for entity in ENTITIES))
        context = "\n".join(evidence)
        print(await client.complete(f"Answer the question using the evidence.\nEvidence:\n"
                                    f"{context}\nQuestion: {QUESTION}\nAnswer:"))
    finally:
        await client.close()


SPEC = AppSpec(
    name='hotpotqa',
    title="Multi-hop QA, HotpotQA shape (2 searches)",
    rules=(Rule(pattern='same nationality', answers=('Yes: both are American ({hash}).',)),),
    timing=Timing(ttft=0.2, tpot=0.004),
)

if __name__ == "__main__":
    main(*sys.argv[1:])
