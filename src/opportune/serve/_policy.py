"""Scheduling policies: what priority a call enters with, and how levels are cut.

A policy only says how urgent a new call is; the multi-level queue (``_queues``) turns that into
a queue, demotes calls that overstay their quantum and promotes starved ones. The simulator and
the gateway share these classes, so what the simulator measures is what the gateway does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from opportune.serve._programs import Call, Program

__all__ = [
    "ATLAS",
    "FCFS",
    "MLFQ",
    "PLAS",
    "POLICIES",
    "SRPT",
    "Levels",
    "Policy",
    "policy_named",
]


@dataclass(frozen=True)
class Levels:
    """K queues over the priority axis, with quanta growing geometrically.

    Queue ``i`` holds priorities in ``[bound(i), bound(i+1))`` and lets a call attain
    ``quantum(i)`` of service before it drops one queue. Quanta grow so that long programs are
    not preempted over and over (each demotion costs a reschedule).
    """

    k: int = 10
    quantum0: float = 1.0
    growth: float = 2.0

    def __post_init__(self) -> None:
        if self.k < 1:
            raise ValueError(f"Levels.k={self.k}: need at least one queue")
        if not self.quantum0 > 0 or not self.growth >= 1:
            raise ValueError(
                f"Levels(quantum0={self.quantum0}, growth={self.growth}): the first quantum must be "
                f"positive and the growth factor at least 1"
            )
        quanta = tuple(
            math.inf if i == self.k - 1 else self.quantum0 * self.growth**i for i in range(self.k)
        )
        object.__setattr__(self, "_quanta", quanta)

    def quantum(self, level: int) -> float:
        return self._quanta[min(level, self.k - 1)]  # type: ignore[attr-defined,no-any-return]

    def bound(self, level: int) -> float:
        """Lowest priority that belongs in ``level``."""
        return sum(self.quantum(i) for i in range(level))

    def level_of(self, priority: float) -> int:
        level = 0
        upper = self.quantum(0)
        while level < self.k - 1 and priority >= upper:
            level += 1
            upper += self.quantum(level)
        return level


class Policy:
    """Base policy: every call enters the top queue (which is plain MLFQ).

    ``multilevel`` False means a single first-come-first-served queue with no demotion and no
    starvation promotion (the engine-default baseline).
    """

    name = "mlfq"
    multilevel = True
    demotes = True

    def entry_priority(self, program: Program, call: Call) -> float:
        return 0.0

    def record_completion(self, program: Program, call: Call) -> None:
        """Update the program's attained service and critical path with a finished call."""
        program.service += call.service
        value = call.priority + call.service if self.tracks_inheritance else call.service
        program.values[call.call_id] = value
        program.critical = max(program.critical, value)

    tracks_inheritance = False


class FCFS(Policy):
    """First come, first served: what vLLM does by default."""

    name = "fcfs"
    multilevel = False
    demotes = False


class MLFQ(Policy):
    """Per-call multi-level feedback: blind to programs, every call starts at the top."""

    name = "mlfq"


class PLAS(Policy):
    """Program-level attained service: the program's completed service so far, least first."""

    name = "plas"

    def entry_priority(self, program: Program, call: Call) -> float:
        return program.service


class ATLAS(Policy):
    """Critical-path attained service, for programs with parallel calls.

    A call inherits the longest critical path among its parents, so sibling calls of one
    program share a priority and finish together instead of straggling. A call that names no
    parents (or whose parents the gateway never saw) inherits the program's critical path so far;
    the first call of a program starts at 0.
    """

    name = "atlas"
    tracks_inheritance = True

    def entry_priority(self, program: Program, call: Call) -> float:
        known = [program.values[p] for p in call.parents if p in program.values]
        if known and len(known) == len(call.parents):
            return max(known)
        return program.critical


class SRPT(Policy):
    """Clairvoyant shortest remaining program work first: a bound, not deployable.

    It needs the remaining work of the program at each call (``Call.remaining_hint``), which only
    a simulator knows. Calls are never demoted: their priority is exact.
    """

    name = "srpt"
    demotes = False

    def entry_priority(self, program: Program, call: Call) -> float:
        return call.remaining_hint


POLICIES: dict[str, type[Policy]] = {cls.name: cls for cls in (FCFS, MLFQ, PLAS, ATLAS, SRPT)}


def policy_named(name: str) -> Policy:
    try:
        return POLICIES[name.lower()]()
    except KeyError:
        raise ValueError(
            f"unknown scheduling policy {name!r}; choose one of {', '.join(sorted(POLICIES))}"
        ) from None
