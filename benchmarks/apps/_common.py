"""What every benchmark app shares: tool latencies, the expert's async LLM client, app metadata.

The apps are benchmark instruments, so their tools answer deterministically and take a fixed,
recorded time. One knob, ``OPPORTUNE_BENCH_TOOL_SCALE``, scales every tool latency (tests use a
tiny scale); it is read at call time so that a scale set by the runner reaches every mode.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from opportune.sim import Rule, SimConfig

TOOL_SCALE_ENV = "OPPORTUNE_BENCH_TOOL_SCALE"

# Called as each blocking tool call starts, with the tool's name and first argument. It stays
# None in benchmarks (one global read per call); tests/benchmarks/test_apps.py sets it to hold
# calls until their whole group has started, so the overlap it asserts is certain.
tool_call_hook: Callable[[str, str], None] | None = None


def tool_call_started(name: str, first_arg: str) -> None:
    hook = tool_call_hook
    if hook is not None:
        hook(name, first_arg)


def tool_scale() -> float:
    raw = os.environ.get(TOOL_SCALE_ENV, "1")
    try:
        return float(raw)
    except ValueError:
        raise ValueError(
            f"{TOOL_SCALE_ENV}={raw!r} is not a number; set it to a latency factor such as 0.1"
        ) from None


def tool_sleep(seconds: float) -> None:
    """Wait a tool's recorded latency (scaled), as a blocking tool would."""
    time.sleep(seconds * tool_scale())


async def atool_sleep(seconds: float) -> None:
    """Wait a tool's recorded latency (scaled), as an async tool would."""
    await asyncio.sleep(seconds * tool_scale())


class AsyncLLM:
    """The expert's LLM helper: one ``AsyncOpenAI`` client, the same request opportune.llm sends.

    It reads ``OPENAI_BASE_URL``/``OPENAI_API_KEY`` like the SDK does, and sends the prompt as a
    single user message to ``OPPORTUNE_MODEL`` (the simulator ignores the model name).
    """

    def __init__(self, max_concurrency: int = 64) -> None:
        from openai import AsyncOpenAI

        self.client = AsyncOpenAI(max_retries=6)
        self.model = os.environ.get("OPPORTUNE_MODEL", "opportune-sim")
        self._sem = asyncio.Semaphore(max_concurrency)

    async def complete(self, prompt: str) -> str:
        async with self._sem:
            response = await self.client.chat.completions.create(
                model=self.model, messages=[{"role": "user", "content": prompt}]
            )
        return response.choices[0].message.content or ""

    async def close(self) -> None:
        await self.client.close()


@dataclass(frozen=True)
class Timing:
    """Simulated LLM timing for one app: time to first token, time per further token."""

    ttft: float = 0.1
    tpot: float = 0.002
    slots: int = 64


@dataclass(frozen=True)
class AppSpec:
    """How the runner drives one app module.

    ``rules`` make the simulator's answers parse the way the program expects; ``argv`` is the
    program's command line in full and in quick runs; ``quick`` says whether --quick includes it.
    """

    name: str
    title: str
    rules: tuple[Rule, ...]
    timing: Timing = Timing()
    argv: tuple[str, ...] = ()
    quick_argv: tuple[str, ...] | None = None
    test_argv: tuple[str, ...] | None = None
    quick: bool = True
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def sim_config(self, *, scale: float = 1.0) -> SimConfig:
        return SimConfig(
            ttft=self.timing.ttft * scale,
            tpot=self.timing.tpot * scale,
            slots=self.timing.slots,
            rules=self.rules,
            default_answer="(no rule matched this prompt)",
        )

    def args(self, mode: str) -> list[str]:
        if mode == "quick" and self.quick_argv is not None:
            return list(self.quick_argv)
        if mode == "test" and self.test_argv is not None:
            return list(self.test_argv)
        return list(self.argv)


def spec_of(module: ModuleType) -> AppSpec:
    spec = getattr(module, "SPEC", None)
    if not isinstance(spec, AppSpec):
        raise TypeError(f"benchmark app {module.__name__} must define SPEC = AppSpec(...)")
    return spec
