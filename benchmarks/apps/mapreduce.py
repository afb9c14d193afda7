"""Map-reduce summarisation: chunk a long document, summarise each chunk, combine in pairs."""

from __future__ import annotations

import asyncio
import sys

from benchmarks.apps._common import AppSpec, AsyncLLM, Timing
from opportune import llm
from opportune.sim import Rule

CHUNKS = 16
TOPICS = ["harbour", "railway", "market", "school", "river", "bridge", "festival", "library"]


def document():
    """A long, deterministic document: one paragraph per chunk."""
    paragraphs = []
    for i in range(CHUNKS):
        topic = TOPICS[i % len(TOPICS)]
        paragraphs.append(
            f"Part {i + 1}. The town's {topic} changed a great deal over the years. "
            f"Records from the {topic} office describe new works, disputes and repairs, "
            f"and residents remember the {topic} as the centre of daily life."
        )
    return "\n\n".join(paragraphs)


def summarise(text):
    return llm.complete(f"Summarise this passage in one sentence:\n{text}")


def combine(first, second):
    return llm.complete(f"Combine these two summaries into one:\n{first}\n{second}")


def main():
    chunks = document().split("\n\n")
    summaries = [summarise(chunk) for chunk in chunks]
    while len(summaries) > 1:
        summaries = [combine(summaries[i], summaries[i + 1]) for i in range(0, len(summaries), 2)]
    print(summaries[0])


async def amain():
    client = AsyncLLM()
    try:
        chunks = document().split("\n\n")
        summaries = await asyncio.gather(
            *(client.complete(f"Summarise this passage in one sentence:\n{c}") for c in chunks)
        )
        while len(summaries) > 1:
            summaries = await asyncio.gather(*(
                client.complete(
                    f"Combine these two summaries into one:\n{summaries[i]}\n{summaries[i + 1]}"
                )
                for i in range(0, len(summaries), 2)
            ))
        print(summaries[0])
    finally:
        await client.close()


SPEC = AppSpec(
    name="mapreduce",
    title="Map-reduce summarisation (16 chunks, pairwise combine)",
    rules=(
        Rule(pattern=r"Passage in one sentence:\nPart (\d+)\. The town's (\w+)", flags="i",
             answer="Part {1} tells how the {2} shaped the town ({hash})."),
        Rule(pattern=r"Combine these two summaries", answer="Summary {hash}: the town's history, "
             "as told through its places, in brief."),
    ),
    timing=Timing(ttft=0.1, tpot=0.004),
)

if __name__ == "__main__":
    main(*sys.argv[1:])
