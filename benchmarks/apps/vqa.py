"""ViperGPT/GQA-style visual question answering: find objects, query each patch, combine.

"What colour is the car next to the tallest building?" as ViperGPT's generated program would
answer it: detect cars and buildings, ask each building patch its height and each car patch its
colour, then let the model combine the findings. The vision tools are simulated externals with
recorded latencies (detection 0.25 s, patch queries 0.15 s).
"""

from __future__ import annotations

import asyncio
import sys

from benchmarks.apps._common import AppSpec, AsyncLLM, Timing
from benchmarks.apps._tools import aask_patch, adetect, ask_patch, detect
from opportune import llm
from opportune.sim import Rule

IMAGE = "gqa/2354786.jpg"
QUESTION = "What colour is the car next to the tallest building?"


def main():
    cars = detect(IMAGE, "car")
    buildings = detect(IMAGE, "building")
    heights = [ask_patch(patch, "how tall is this building?") for patch in buildings]
    colours = [ask_patch(patch, "what colour is this car?") for patch in cars]
    facts = [f"{p}: {h}" for p, h in zip(buildings, heights)]
    facts += [f"{p}: {c}" for p, c in zip(cars, colours)]
    findings = "\n".join(facts)
    print(llm.complete(f"Findings:\n{findings}\nQuestion: {QUESTION}\nAnswer briefly:"))


async def amain():
    client = AsyncLLM()
    try:
        cars, buildings = await asyncio.gather(adetect(IMAGE, "car"), adetect(IMAGE, "building"))
        answers = await asyncio.gather(
            *(aask_patch(p, "how tall is this building?") for p in buildings),
            *(aask_patch(p, "what colour is this car?") for p in cars),
        )
        heights, colours = answers[:len(buildings)], answers[len(buildings):]
        facts = [f"{p}: {h}" for p, h in zip(buildings, heights)]
        facts += [f"{p}: {c}" for p, c in zip(cars, colours)]
        findings = "\n".join(facts)
        print(await client.complete(f"Findings:\n{findings}\nQuestion: {QUESTION}\n"
                                    "Answer briefly:"))
    finally:
        await client.close()


SPEC = AppSpec(
    name="vqa",
    title="ViperGPT/GQA-style VQA (detect, query patches, combine)",
    rules=(Rule(pattern=r"#car0: (\w+)", answer="The car is {1}."),),
    timing=Timing(ttft=0.2, tpot=0.004),
)

if __name__ == "__main__":
    main(*sys.argv[1:])
