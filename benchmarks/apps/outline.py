"""Outline, then expand every section, printing each: the streaming issue's benchmark shape.

The first output can come only after the outline and the first section; the total is one
outline plus the longest section when the expansions overlap.
"""

from __future__ import annotations

import asyncio
import sys

from benchmarks.apps._common import AppSpec, AsyncLLM, Timing
from opportune import llm
from opportune.sim import Rule

TOPIC = "the history of the bicycle"


def main():
    outline = llm.complete(f"Write an outline of an essay on {TOPIC}, one section title a line.")
    for title in outline.splitlines():
        section = llm.complete(f"Expand the section '{title}' of an essay on {TOPIC}.")
        print(f"## {title}\n{section}\n")


async def amain():
    client = AsyncLLM()
    try:
        outline = await client.complete(
            f"Write an outline of an essay on {TOPIC}, one section title a line.")
        titles = outline.splitlines()
        tasks = [asyncio.ensure_future(client.complete(
            f"Expand the section '{title}' of an essay on {TOPIC}.")) for title in titles]
        for title, task in zip(titles, tasks):
            print(f"## {title}\n{await task}\n")
    finally:
        await client.close()


_BODY = ("This section follows {1} through the people who built, rode and argued about it. "
         "It describes the machines, the roads they ran on, the prices people paid and the "
         "clubs and races that grew around them, and it closes with what changed for riders "
         "and for the towns they rode through, decade by decade, with dates and names. ")
SPEC = AppSpec(
    name="outline",
    title="Outline, then expand 8 sections, printing each",
    rules=(
        Rule(pattern=r"Write an outline", answer="Origins\nThe draisine\nBoneshakers\n"
             "The high wheel\nThe safety bicycle\nThe bicycle boom\nRoads and rights\nToday"),
        Rule(pattern=r"Expand the section '([^']+)'", answer=_BODY * 2),
    ),
    timing=Timing(ttft=0.1, tpot=0.004),
)

if __name__ == "__main__":
    main(*sys.argv[1:])
