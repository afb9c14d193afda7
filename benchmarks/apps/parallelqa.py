"""ParallelQA shape: parallel searches, then dependent arithmetic, then an answer.

"What is the combined population of A and B, per square kilometre of C and D together?"
Four look-ups run at once; two sums depend on them, a ratio on the sums, the answer on that.
"""

from __future__ import annotations

import asyncio
import re
import sys

from benchmarks.apps._common import AppSpec, AsyncLLM, Timing
from benchmarks.apps._tools import acalculate, asearch, calculate, search
from opportune import llm
from opportune.sim import Rule

CITIES = ("Lyon", "Porto")
REGIONS = ("Tyrol", "Umbria")
NUMBER = r"is (\d+)"


def number_in(text):
    return re.search(NUMBER, text).group(1)


def main():
    populations = [number_in(search(f"population of {city}")) for city in CITIES]
    areas = [number_in(search(f"area of {region}")) for region in REGIONS]
    people = calculate(f"{populations[0]} + {populations[1]}")
    land = calculate(f"{areas[0]} + {areas[1]}")
    density = calculate(f"{people} / {land}")
    print(llm.complete(f"State the result in one sentence: {people} people over {land} square "
                       f"kilometres is a density of {density}."))


async def amain():
    client = AsyncLLM()
    try:
        found = await asyncio.gather(*(asearch(f"population of {c}") for c in CITIES),
                                     *(asearch(f"area of {r}") for r in REGIONS))
        numbers = [re.search(NUMBER, text).group(1) for text in found]
        people, land = await asyncio.gather(acalculate(f"{numbers[0]} + {numbers[1]}"),
                                            acalculate(f"{numbers[2]} + {numbers[3]}"))
        density = await acalculate(f"{people} / {land}")
        print(await client.complete(
            f"State the result in one sentence: {people} people over {land} square "
            f"kilometres is a density of {density}."))
    finally:
        await client.close()


SPEC = AppSpec(
    name="parallelqa",
    title="ParallelQA shape (4 searches, dependent math)",
    rules=(Rule(pattern=r"([\d.]+) people over ([\d.]+) square kilometres is a density of ([\d.]+)",
                answer="About {3} people live on each square kilometre."),),
    timing=Timing(ttft=0.2, tpot=0.004),
)

if __name__ == "__main__":
    main(*sys.argv[1:])
