"""Replaying ``query_ai_assistant`` from a recording of the calls a sequential run made.

A recorded call is found by a key that is JSON text of the prompt and the output model's JSON
schema, so the key must be rebuilt byte for byte the way the recording harness built it:
``json.dumps({"query": q, "schema": Model.model_json_schema()}, sort_keys=True)``. The same key
can be recorded several times with different latencies; each lookup takes the next one in
recorded order (a FIFO queue per key), so every duplicate call pays its own latency.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel

# The answer is an instance of the schema the program passes (pydantic validates into it); the
# annotation says so, which lets opportune know a pending answer's fields and their types.
Model = TypeVar("Model", bound=BaseModel)


class MissingRecording(LookupError):
    """Raised when a program asks the assistant something the recording has no answer left for."""


def recording_key(query: str, schema: type[BaseModel]) -> str:
    """The recording's key for asking ``query`` with output model ``schema``."""
    return json.dumps({"query": query, "schema": schema.model_json_schema()}, sort_keys=True)


@dataclass(frozen=True)
class ReplayedCall:
    """One lookup made during a run: which key, its recorded latency, and when it ran."""

    key: str
    latency_s: float
    started: float
    finished: float


@dataclass
class Recording:
    """The recorded answers as a multimap: one FIFO queue of ``(result, latency_ns)`` per key.

    Lookups may come from several threads at once (under opportune), so taking an entry is
    locked; the sleep that models the call's latency is not, so calls overlap.
    """

    calls: Iterable[tuple[str, str, int]]
    latency_scale: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    log: list[ReplayedCall] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        if self.latency_scale < 0:
            raise ValueError(f"latency_scale must be >= 0, got {self.latency_scale}")
        self._queues: dict[str, deque[tuple[str, int]]] = {}
        for key, result, latency_ns in self.calls:
            self._queues.setdefault(key, deque()).append((result, latency_ns))
        self._lock = threading.Lock()

    def take(self, key: str) -> tuple[str, int]:
        """The next recorded ``(result, latency_ns)`` for ``key``, removed from its queue."""
        with self._lock:
            queue = self._queues.get(key)
            if not queue:
                recorded = "was recorded, but every recorded answer is used" if queue is not None \
                    else "was never recorded"
                raise MissingRecording(
                    f"this query_ai_assistant call {recorded}: the program asked something the "
                    "recorded run did not (the prompt text or the schema differs). Check that "
                    "agentdojo==0.1.34 and pydantic v2 are installed, since the prompt embeds "
                    f"their string forms. Key starts: {key[:200]!r}"
                )
            return queue.popleft()

    def remaining(self) -> int:
        """How many recorded answers no lookup has taken."""
        with self._lock:
            return sum(len(q) for q in self._queues.values())

    def query_ai_assistant(self, query: str, schema: type[Model]) -> Model:
        """Answer ``query`` from the recording after sleeping the recorded latency."""
        key = recording_key(query, schema)
        result, latency_ns = self.take(key)
        latency_s = latency_ns / 1e9 * self.latency_scale
        started = time.perf_counter()
        self.sleep(latency_s)
        answer = schema.model_validate_json(result)
        finished = time.perf_counter()
        with self._lock:
            self.log.append(ReplayedCall(key, latency_s, started, finished))
        return answer
