"""Token usage of every LLM call, kept where a trace can collect it.

Each finished call appends one :class:`UsageRecord`, carrying the identity of the opportune call
that made it (when there is one), so a trace can join tokens to its timeline. Listeners are
called synchronously on the thread that made the call; they must be quick and must not raise.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from opportune.runtime.context import CallInfo

_log = logging.getLogger("opportune.llm")

MAX_RECORDS = 100_000


@dataclass(frozen=True)
class UsageRecord:
    """One LLM request: what it cost, where it went, and how many attempts it took."""

    route: str
    model: str
    base_url: str
    prompt_tokens: int
    completion_tokens: int
    call: CallInfo | None
    cached: bool = False
    attempts: int = 1
    retry_waits: tuple[float, ...] = ()

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


_records: deque[UsageRecord] = deque(maxlen=MAX_RECORDS)
_listeners: list[Callable[[UsageRecord], None]] = []
_lock = threading.Lock()


def record_usage(record: UsageRecord) -> None:
    with _lock:
        _records.append(record)
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(record)
        except Exception:  # noqa: BLE001 - a broken listener must not fail the user's call
            _log.exception("an opportune.llm usage listener raised; the call itself succeeded")


def usage_log() -> list[UsageRecord]:
    """A snapshot of the recorded calls, oldest first (the newest 100,000 are kept)."""
    with _lock:
        return list(_records)


def clear_usage_log() -> None:
    with _lock:
        _records.clear()


def on_usage(listener: Callable[[UsageRecord], None]) -> Callable[[], None]:
    """Call ``listener`` with each new record; returns a function that stops doing so."""
    with _lock:
        _listeners.append(listener)

    def remove() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return remove


def usage_by_call(program_id: str) -> dict[int, dict[str, int]]:
    """Tokens per opportune call of one program run, shaped for a trace's ``usage`` field.

    A call that made several LLM requests (a retry loop in user code, say) gets their sum.
    """
    totals: dict[int, dict[str, int]] = {}
    for record in usage_log():
        if record.call is None or record.call.program_id != program_id:
            continue
        entry = totals.setdefault(record.call.call_id, {
            "prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0, "requests": 0})
        entry["prompt_tokens"] += record.prompt_tokens
        entry["completion_tokens"] += record.completion_tokens
        entry["total_tokens"] += record.total_tokens
        entry["requests"] += 1
    return totals
