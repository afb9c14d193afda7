"""The recorded schedule: when each request arrived, got a slot, and sent its tokens.

Tests and benchmarks assert on this record instead of on wall-clock durations: "four of eight
calls queued" is a fact the server knows exactly, while "the run took about two service times"
depends on how busy the machine was. Times are seconds on the server's monotonic clock since it
started.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass
class ScheduleEntry:
    """One request as the simulator saw it.

    ``arrival`` is when the request (headers and body) had been received; ``start`` is when it got a decoding slot (``queued`` says whether it had to wait for one),
    ``first_token``/``last_token`` when its first and last tokens were due (a non-streamed
    answer is sent whole at ``last_token``), ``end`` when the server finished with it. Requests
    refused (429) or failed by fault injection have no slot and no token times. A request a
    test's gate held (``gate``) waited there between ``arrival`` and ``start`` too.
    """

    id: int
    endpoint: str
    model: str
    stream: bool
    arrival: float
    status: int = 200
    queued: bool = False
    slot: int | None = None
    start: float | None = None
    first_token: float | None = None
    last_token: float | None = None
    end: float | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    source: str | None = None
    fault: str | None = None
    gate: str | None = None  # the test gate that held it before it took a slot (_gates.py)

    @property
    def wait(self) -> float | None:
        """Seconds spent queued for a slot."""
        return None if self.start is None else self.start - self.arrival

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScheduleEntry:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


class Schedule:
    """The bounded, thread-safe list of entries, newest last."""

    def __init__(self, limit: int) -> None:
        self._entries: deque[ScheduleEntry] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._next_id = 1

    def open(self, **fields: Any) -> ScheduleEntry:
        with self._lock:
            entry = ScheduleEntry(id=self._next_id, **fields)
            self._next_id += 1
            self._entries.append(entry)
            return entry

    def snapshot(self) -> list[ScheduleEntry]:
        with self._lock:
            return [replace(e) for e in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
