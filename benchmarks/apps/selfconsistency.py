"""Self-consistency: sample n chains of thought, extract each answer, take the majority vote."""

from __future__ import annotations

import asyncio
import re
import sys
from collections import Counter

from benchmarks.apps._common import AppSpec, AsyncLLM, Timing
from opportune import llm
from opportune.sim import Rule

SAMPLES = 10
QUESTION = ("Janet's ducks lay 16 eggs per day. She eats three for breakfast and bakes muffins "
            "with four. She sells the rest at $2 each. How much does she make every day?")


def sample_prompt(i):
    return f"Q: {QUESTION}\nA: Let's think step by step. (sample {i})"


def main():
    samples = [llm.complete(sample_prompt(i)) for i in range(SAMPLES)]
    answers = [re.search(r"The answer is (\d+)", s).group(1) for s in samples]
    votes = Counter(answers)
    print(f"majority answer: {votes.most_common(1)[0][0]} ({dict(sorted(votes.items()))})")


async def amain():
    client = AsyncLLM()
    try:
        samples = await asyncio.gather(*(client.complete(sample_prompt(i)) for i in range(SAMPLES)))
        answers = [re.search(r"The answer is (\d+)", s).group(1) for s in samples]
        votes = Counter(answers)
        print(f"majority answer: {votes.most_common(1)[0][0]} ({dict(sorted(votes.items()))})")
    finally:
        await client.close()


SPEC = AppSpec(
    name="selfconsistency",
    title="Self-consistency (10 samples, majority vote)",
    rules=(Rule(pattern=r"Let's think step by step", answers=(
        "16 - 3 - 4 = 9 eggs are left, and 9 * 2 = 18 dollars. The answer is 18.",
        "She keeps 3 + 4 = 7 eggs, sells 16 - 7 = 9 for $2 each. The answer is 18.",
        "16 - 3 = 13, 13 - 4 = 9, 9 * 2 = 18. The answer is 18.",
        "She sells 16 - 4 = 12 eggs at $2, so 12 * 2 = 24. The answer is 24.",
        "16 eggs at $2 is 32, minus 7 eggs is 32 - 7 = 25. The answer is 25.",
    )),),
    timing=Timing(ttft=0.1, tpot=0.004),
)

if __name__ == "__main__":
    main(*sys.argv[1:])
