"""Program-aware load balancing over several engines.

Short prompts gain nothing from landing where their program ran before, so they go wherever the
least work is outstanding. Long prompts are pinned to their program's engine, where the shared
prefix of the program's context is likely still in the prefix cache.
"""

from __future__ import annotations

from opportune.serve._programs import Program

LONG_PROMPT_TOKENS = 2048


class LoadBalancer:
    """Chooses an engine per call; ``load[i]`` counts calls queued at or running on engine i."""

    def __init__(self, engines: int, *, long_prompt_tokens: int = LONG_PROMPT_TOKENS) -> None:
        if engines < 1:
            raise ValueError(f"LoadBalancer needs at least one engine, got {engines}")
        self.load = [0] * engines
        self.long_prompt_tokens = long_prompt_tokens

    def least_loaded(self) -> int:
        return min(range(len(self.load)), key=lambda i: (self.load[i], i))

    def choose(self, program: Program, prompt_tokens: int) -> int:
        if prompt_tokens <= self.long_prompt_tokens:
            return self.least_loaded()
        if program.engine is None:
            program.engine = self.least_loaded()
        return program.engine

    def assigned(self, engine: int) -> None:
        self.load[engine] += 1

    def released(self, engine: int) -> None:
        self.load[engine] -= 1
