"""Tree of Thoughts on Game of 24: propose next steps, evaluate each state, keep the best b.

The shape EPIC and LLMCompiler measured: breadth 5, depth 3, one proposal call per kept state
and one evaluation call per candidate, written like the reference implementation (helpers that
call the model and parse its answer).
"""

from __future__ import annotations

import asyncio
import re
import sys

from benchmarks.apps._common import AppSpec, AsyncLLM, Timing
from opportune import llm
from opportune.sim import Rule

PUZZLE = (4, 9, 10, 13)
BREADTH = 5
DEPTH = 3
VALUES = {"sure": 20.0, "likely": 1.0, "impossible": 0.001}
STEP = re.compile(r"^(-?\d+) ([+*-]) (-?\d+)$")


def propose_prompt(numbers):
    listed = " ".join(str(n) for n in numbers)
    return f"Use numbers and basic arithmetic operations to obtain 24.\nInput: {listed}\nPossible next steps:"


def value_prompt(numbers):
    listed = " ".join(str(n) for n in numbers)
    return f"Evaluate if given numbers can reach 24 (sure/likely/impossible)\nNumbers: {listed}\nJudgement:"


def apply_step(state, line):
    """The state after one proposed step, e.g. '4 + 9' on (4, 9, 10, 13) -> (10, 13, 13)."""
    numbers, steps = state
    match = STEP.match(line.strip())
    if match is None:
        return None
    a, op, b = int(match.group(1)), match.group(2), int(match.group(3))
    rest = list(numbers)
    if a not in rest:
        return None
    rest.remove(a)
    if b not in rest:
        return None
    rest.remove(b)
    result = a + b if op == "+" else a - b if op == "-" else a * b
    return (tuple(sorted(rest + [result])), steps + (f"{a} {op} {b} = {result}",))


def get_proposals(state):
    output = llm.complete(propose_prompt(state[0]))
    proposals = []
    for line in output.splitlines():
        new = apply_step(state, line)
        if new is not None:
            proposals.append(new)
    return proposals


def get_value(state):
    output = llm.complete(value_prompt(state[0]))
    return VALUES.get(output.strip().split()[-1], 0.0)


def solve(puzzle):
    frontier = [(tuple(puzzle), ())]
    for _ in range(DEPTH):
        candidates = [new for state in frontier for new in get_proposals(state)]
        values = [get_value(state) for state in candidates]
        ranked = sorted(range(len(candidates)), key=lambda i: -values[i])
        frontier = [candidates[i] for i in ranked[:BREADTH]]
    return frontier


def main():
    for numbers, steps in solve(PUZZLE):
        print(f"{' -> '.join(steps)}  (left: {' '.join(map(str, numbers))})")


# ---- the expert's asyncio version: the same calls, each level gathered ---------------------

def parse_proposals(state, output):
    proposals = []
    for line in output.splitlines():
        new = apply_step(state, line)
        if new is not None:
            proposals.append(new)
    return proposals


async def amain():
    client = AsyncLLM()
    try:
        frontier = [(tuple(PUZZLE), ())]
        for _ in range(DEPTH):
            outputs = await asyncio.gather(
                *(client.complete(propose_prompt(state[0])) for state in frontier)
            )
            candidates = [new for state, out in zip(frontier, outputs)
                          for new in parse_proposals(state, out)]
            judgements = await asyncio.gather(
                *(client.complete(value_prompt(state[0])) for state in candidates)
            )
            values = [VALUES.get(j.strip().split()[-1], 0.0) for j in judgements]
            ranked = sorted(range(len(candidates)), key=lambda i: -values[i])
            frontier = [candidates[i] for i in ranked[:BREADTH]]
        for numbers, steps in frontier:
            print(f"{' -> '.join(steps)}  (left: {' '.join(map(str, numbers))})")
    finally:
        await client.close()


_N = r"(-?\d+)"
SPEC = AppSpec(
    name="tot",
    title="Tree of Thoughts, Game of 24 (b=5, depth 3)",
    rules=(
        Rule(pattern=rf"Input: {_N} {_N} {_N} {_N}\n", answers=(
            "{1} + {2}\n{2} * {3}\n{4} - {1}\n{3} + {4}\n{1} * {4}\n{2} + {3}",
            "{1} * {2}\n{3} - {1}\n{2} + {4}\n{1} + {3}\n{4} - {2}\n{3} * {4}",
        )),
        Rule(pattern=rf"Input: {_N} {_N} {_N}\n", answers=(
            "{1} + {2}\n{2} * {3}\n{3} - {1}\n{1} * {3}",
            "{2} - {1}\n{1} + {3}\n{2} + {3}\n{3} * {2}",
        )),
        Rule(pattern=rf"Input: {_N} {_N}\n", answers=(
            "{1} + {2}\n{1} * {2}\n{2} - {1}",
            "{1} * {2}\n{1} - {2}\n{2} + {1}",
        )),
        Rule(pattern=r"can reach 24", answers=(
            "Some steps might work.\nlikely", "They cannot get there.\nimpossible",
            "This works directly.\nsure", "Close enough to try.\nlikely",
            "Too small.\nimpossible",
        )),
    ),
    timing=Timing(ttft=0.1, tpot=0.002),
)

if __name__ == "__main__":
    main(*sys.argv[1:])
