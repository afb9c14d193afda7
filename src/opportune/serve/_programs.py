"""The process table: what the scheduler knows about each program and each of its calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Program:
    """One program run, the unit of scheduling.

    ``service`` is the attained service of completed calls (PLAS's priority); ``critical`` is
    the longest critical path of service seen so far (ATLAS's), and ``values`` remembers, per
    completed call, the critical path through it, so that a child inherits its parents' value.
    """

    program_id: str
    arrival: float
    service: float = 0.0
    critical: float = 0.0
    wait: float = 0.0
    values: dict[int, float] = field(default_factory=dict)
    submitted: int = 0
    completed: int = 0
    failed: int = 0
    active: int = 0
    engine: int | None = None
    last_seen: float = 0.0


@dataclass(eq=False)
class Call:
    """One LLM call waiting in, or running under, the scheduler.

    ``priority`` is the policy's value when the call entered (lower runs first); ``level`` the
    queue it sits in now; ``seq`` its place in that queue (first come, first served).
    ``payload`` belongs to whoever submitted the call (the simulator's token counts, the
    gateway's wake-up future) and is never read by the scheduler.
    """

    program: Program
    call_id: int
    thread_id: int
    parents: tuple[int, ...]
    prompt_tokens: int
    arrival: float
    priority: float = 0.0
    level: int = 0
    seq: int = 0
    engine: int = 0
    service: float = 0.0
    level_service: float = 0.0
    wait: float = 0.0
    waiting_since: float | None = None
    remaining_hint: float = 0.0
    promoted: bool = False
    payload: Any = None


class ProcessTable:
    """Programs by id, created on their first call and forgotten once idle for a while."""

    def __init__(self) -> None:
        self._programs: dict[str, Program] = {}
        self.peak_active = 0
        self._active_programs = 0

    def __len__(self) -> int:
        return len(self._programs)

    def __contains__(self, program_id: object) -> bool:
        return program_id in self._programs

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._programs.values())

    def get(self, program_id: str) -> Program | None:
        return self._programs.get(program_id)

    def get_or_create(self, program_id: str, now: float) -> Program:
        program = self._programs.get(program_id)
        if program is None:
            program = Program(program_id=program_id, arrival=now, last_seen=now)
            self._programs[program_id] = program
        return program

    def call_started(self, program: Program) -> None:
        if program.active == 0:
            self._active_programs += 1
            self.peak_active = max(self.peak_active, self._active_programs)
        program.active += 1

    def call_ended(self, program: Program) -> None:
        program.active -= 1
        if program.active == 0:
            self._active_programs -= 1

    @property
    def active_programs(self) -> int:
        return self._active_programs

    def evict_idle(self, now: float, ttl: float) -> int:
        """Forget programs with no call in flight and none seen for ``ttl`` seconds."""
        stale = [
            pid for pid, p in self._programs.items() if p.active == 0 and now - p.last_seen >= ttl
        ]
        for pid in stale:
            del self._programs[pid]
        return len(stale)
