"""Synthetic agent-program workloads shaped after those Autellix evaluates.

Each program is a DAG of LLM calls in topological order. The shapes, not the text, matter to a
scheduler: how many calls, how long prompts and outputs are, and which calls run in parallel.

* ``chat``  - ShareGPT-like multi-turn conversations: a chain of ~6.7 calls whose prompt is the
  growing conversation, outputs of a few hundred tokens.
* ``tools`` - BFCL-like function calling: a chain of ~10.8 calls with long prompts (tool schemas)
  and short outputs (a call or a short answer).
* ``tree``  - LATS/MCTS-like search: ~160 calls; ~8 iterations (geometric: search stops when it
  succeeds) of ~10 parallel (expand -> evaluate) branches; each iteration waits for every
  evaluation of the previous one.
* ``mixed`` - equal parts of the three.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WORKLOADS = ("chat", "tools", "tree", "mixed")


@dataclass(frozen=True)
class CallSpec:
    prompt: int
    output: int
    parents: tuple[int, ...]


@dataclass(frozen=True)
class ProgramSpec:
    kind: str
    calls: tuple[CallSpec, ...]

    @property
    def output_tokens(self) -> int:
        return sum(c.output for c in self.calls)

    def critical_path_tokens(self) -> int:
        """Output tokens along the longest dependency chain (all of them for a chain)."""
        best: list[int] = []
        for c in self.calls:
            best.append(c.output + max((best[p] for p in c.parents), default=0))
        return max(best)


def _lognormal(rng: np.random.Generator, mean: float, sigma: float, lo: int, hi: int) -> int:
    mu = np.log(mean) - sigma**2 / 2
    return int(min(max(float(rng.lognormal(mu, sigma)), lo), hi))


def _chat(rng: np.random.Generator) -> ProgramSpec:
    n = int(min(rng.geometric(1 / 6.7), 40))
    calls, history = [], 0
    for i in range(n):
        user = _lognormal(rng, 80, 1.0, 4, 1024)
        out = _lognormal(rng, 220, 0.9, 8, 2048)
        prompt = min(history + user, 8192)
        calls.append(CallSpec(prompt, out, (i - 1,) if i else ()))
        history = prompt + out
    return ProgramSpec("chat", tuple(calls))


def _tools(rng: np.random.Generator) -> ProgramSpec:
    n = int(min(rng.geometric(1 / 10.8), 60))
    system = int(rng.integers(1500, 3000))
    calls, history = [], 0
    for i in range(n):
        out = _lognormal(rng, 40, 0.7, 4, 512)
        result = _lognormal(rng, 80, 0.8, 4, 1024)
        calls.append(CallSpec(min(system + history, 12000), out, (i - 1,) if i else ()))
        history += out + result
    return ProgramSpec("tools", tuple(calls))


def _tree(rng: np.random.Generator) -> ProgramSpec:
    # Search stops when it succeeds, so depth is geometric (heavy-tailed program sizes). Each
    # iteration expands ~10 children in parallel, each an (expand -> evaluate) chain, and the next
    # iteration selects among all evaluated children.
    depth = int(min(rng.geometric(1 / 8), 40))
    calls: list[CallSpec] = []
    previous: tuple[int, ...] = ()
    base = int(rng.integers(400, 900))
    for level in range(depth):
        width = max(1, int(rng.poisson(10)))
        evaluated = []
        for _ in range(width):
            calls.append(CallSpec(base + 150 * level, _lognormal(rng, 150, 0.6, 8, 1024), previous))
            expand = len(calls) - 1
            calls.append(
                CallSpec(base + 150 * level + 200, _lognormal(rng, 30, 0.5, 4, 256), (expand,))
            )
            evaluated.append(len(calls) - 1)
        previous = tuple(evaluated)
    return ProgramSpec("tree", tuple(calls))


_MAKERS = {"chat": _chat, "tools": _tools, "tree": _tree}


def generate(workload: str, programs: int, seed: int) -> list[ProgramSpec]:
    """``programs`` programs of ``workload``, the same for the same seed."""
    if workload not in WORKLOADS:
        raise ValueError(f"unknown workload {workload!r}; choose one of {', '.join(WORKLOADS)}")
    if programs < 1:
        raise ValueError(f"programs={programs}: simulate at least one program")
    rng = np.random.default_rng(seed)
    kinds = ("chat", "tools", "tree")
    out = []
    for i in range(programs):
        kind = kinds[i % 3] if workload == "mixed" else workload
        out.append(_MAKERS[kind](rng))
    if workload == "mixed":
        order = rng.permutation(programs)
        out = [out[i] for i in order]
    return out
