"""A batch of small programs run concurrently: 1,000 support tickets, classify then reply.

Each ticket is a two-call program (the reply prompt holds the label), so the batch measures
throughput and memory with many calls in flight rather than the depth of one program.
"""

from __future__ import annotations

import asyncio
import hashlib
import sys

from benchmarks.apps._common import AppSpec, AsyncLLM, Timing
from opportune import llm
from opportune.sim import Rule

TICKETS = 1000


def handle(i):
    label = llm.complete(f"Classify support ticket {i} as billing, bug or question.")
    return llm.complete(f"Write a one-line reply to ticket {i}, labelled {label}.")


def main(tickets=TICKETS):
    replies = [handle(i) for i in range(int(tickets))]
    digest = hashlib.sha256("\n".join(replies).encode()).hexdigest()[:16]
    print(f"{len(replies)} replies, digest {digest}")
    print(replies[0])
    print(replies[-1])


async def amain(tickets=TICKETS):
    client = AsyncLLM(max_concurrency=64)

    async def ahandle(i):
        label = await client.complete(f"Classify support ticket {i} as billing, bug or question.")
        return await client.complete(f"Write a one-line reply to ticket {i}, labelled {label}.")

    try:
        replies = await asyncio.gather(*(ahandle(i) for i in range(int(tickets))))
        digest = hashlib.sha256("\n".join(replies).encode()).hexdigest()[:16]
        print(f"{len(replies)} replies, digest {digest}")
        print(replies[0])
        print(replies[-1])
    finally:
        await client.close()


SPEC = AppSpec(
    name="batch",
    title="Batch of 1,000 two-call programs",
    rules=(
        Rule(pattern=r"Classify support ticket", answers=("billing", "bug", "question")),
        Rule(pattern=r"reply to ticket (\d+), labelled (\w+)",
             answer="Thanks, ticket {1} ({2}) is with the team."),
    ),
    timing=Timing(ttft=0.05, tpot=0.001, slots=64),
    argv=("1000",),
    quick_argv=("200",),
    test_argv=("20",),
)

if __name__ == "__main__":
    main(*sys.argv[1:])
