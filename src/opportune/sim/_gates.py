"""Gates: hold requests back until a named group of them is in flight together (tests only).

A test that asserts a client sent requests at the same time (the schedule shows them
overlapping) must not depend on the simulator's latencies being long enough: on a loaded machine
the client's second request can leave tens of milliseconds after the first one's answer came
back, and the calls did not overlap although the client never waited for either. A gate makes
the overlap certain: the first ``count`` requests whose prompt matches ``pattern`` are held,
before they take a decoding slot, until all ``count`` have arrived; then every one goes on with
the capacity model's timing. A client that waits for one answer before sending the next leaves
the first request held until ``timeout``, when it is answered with HTTP 400 (not retried by the
SDK) naming the gate and how many of its requests arrived, and so are the others of that gate.

Gates are never part of a configuration: a test arms them for one run with
``SimServer.gated(...)`` (``POST /sim/gates``) and disarms them after it (``DELETE /sim/gates``),
so a benchmark never passes through one. A gate opens once; later matching requests pass.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from opportune.sim._config import compile_pattern, known_flag_letters

DEFAULT_TIMEOUT_S = 15.0


class SimGateError(AssertionError):
    """A gate armed with ``SimServer.gated()`` did not open: its requests never were in flight
    together (the client serialised them, or the pattern matches fewer requests than ``count``)."""


class Gate(BaseModel):
    """The first ``count`` requests whose prompt matches ``pattern`` are held until all arrived.

    ``pattern`` is a Python regular expression searched in the prompt (a chat's messages joined
    by blank lines), with ``flags`` as letters (i, m, s, x) as in a rule; ``name`` labels the gate
    in errors and in the schedule (the pattern when empty). A held request fails after
    ``timeout`` seconds if the group is still incomplete.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str
    count: int = Field(ge=2, description="requests that must be in flight together (at least 2)")
    flags: str = ""
    timeout: float = Field(default=DEFAULT_TIMEOUT_S, gt=0)
    name: str = ""

    @field_validator("flags")
    @classmethod
    def _known_flags(cls, value: str) -> str:
        return known_flag_letters(value)

    @model_validator(mode="after")
    def _check(self) -> Self:
        self.compiled()
        return self

    @property
    def label(self) -> str:
        return self.name or self.pattern

    def compiled(self) -> re.Pattern[str]:
        return compile_pattern(self.pattern, self.flags, "gate pattern")


@dataclass
class _Armed:
    gate: Gate
    regex: re.Pattern[str]
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    arrived: int = 0
    broken: str | None = None  # the error every request of a gate that timed out gets

    def report(self) -> dict[str, Any]:
        return {"name": self.gate.label, "pattern": self.gate.pattern, "count": self.gate.count,
                "arrived": self.arrived, "opened": self.arrived >= self.gate.count,
                "error": self.broken}


class Gates:
    """The gates armed on one server. Used only on the server's event loop."""

    def __init__(self) -> None:
        self._armed: list[_Armed] = []

    @property
    def armed(self) -> bool:
        return bool(self._armed)

    def arm(self, gates: list[Gate]) -> None:
        if self._armed:
            raise ValueError("gates are already armed; disarm them (DELETE /sim/gates) first")
        self._armed = [_Armed(g, g.compiled()) for g in gates]

    def disarm(self) -> list[dict[str, Any]]:
        """Forget the gates and say what each saw; requests still held go on."""
        armed, self._armed = self._armed, []
        for a in armed:
            a.opened.set()
        return [a.report() for a in armed]

    def find(self, prompt: str) -> _Armed | None:
        """The gate that takes this request: the first matching one not yet open."""
        for a in self._armed:
            if a.arrived < a.gate.count and a.regex.search(prompt):
                return a
        return None

    async def hold(self, armed: _Armed) -> str | None:
        """Wait until the gate's group is complete; the error to answer with if it never was."""
        if armed.broken is not None:
            return armed.broken
        armed.arrived += 1
        if armed.arrived >= armed.gate.count:
            armed.opened.set()
            return None
        try:
            await asyncio.wait_for(armed.opened.wait(), armed.gate.timeout)
        except TimeoutError:
            if not armed.opened.is_set():
                armed.broken = _timed_out(armed)
                armed.opened.set()  # the others held with it fail now, not each at its timeout
        return armed.broken


def _timed_out(armed: _Armed) -> str:
    g = armed.gate
    return (
        f"simulator gate {g.label!r} held this request {g.timeout:g} s waiting for {g.count} "
        f"requests matching {g.pattern!r} to be in flight together; only {armed.arrived} "
        "arrived: the client did not send them at the same time (it waited for an answer "
        "before sending the next request)"
    )


def not_opened(report: list[dict[str, Any]]) -> str | None:
    """What a ``DELETE /sim/gates`` report says went wrong, or None if every gate opened."""
    missing = [
        f"gate {r['name']!r}: {r['arrived']} of {r['count']} requests matching {r['pattern']!r} "
        "arrived together" for r in report if not r["opened"]
    ]
    if not missing:
        return None
    return ("; ".join(missing) + ". The client did not send the group at the same time, or the "
            "pattern matches fewer requests than the gate's count.")
