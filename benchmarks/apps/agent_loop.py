"""A strictly sequential agent loop: every step's prompt holds the last step's observation.

No schedule can overlap these calls, so the difference between plain Python and opportune here
is opportune's own overhead.
"""

from __future__ import annotations

import sys

from benchmarks.apps._common import AppSpec, AsyncLLM, Timing
from benchmarks.apps._tools import asearch, search
from opportune import llm
from opportune.sim import Rule

STEPS = 6
TASK = "Find out where the author of 'The Name of the Rose' was born."


def main():
    history = f"Task: {TASK}"
    for step in range(STEPS):
        action = llm.complete(f"{history}\nStep {step + 1}. Next action?")
        query = action.removeprefix("search: ").strip()
        observation = search(query)
        history = f"{history}\nAction: {action}\nObservation: {observation}"
    print(history)


async def amain():
    client = AsyncLLM()
    try:
        history = f"Task: {TASK}"
        for step in range(STEPS):
            action = await client.complete(f"{history}\nStep {step + 1}. Next action?")
            query = action.removeprefix("search: ").strip()
            observation = await asearch(query)
            history = f"{history}\nAction: {action}\nObservation: {observation}"
        print(history)
    finally:
        await client.close()


SPEC = AppSpec(
    name="agent_loop",
    title="Strictly sequential agent loop (6 LLM + 6 tool steps)",
    rules=(Rule(pattern=r"Step (\d+)\. Next action\?$", answer="search: lead {1} {hash}"),),
    timing=Timing(ttft=0.1, tpot=0.004),
)

if __name__ == "__main__":
    main(*sys.argv[1:])
