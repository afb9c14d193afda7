"""The recorded schedule of a run: what was called, when, and what waited for what.

Tests assert on this record instead of on wall-clock time, the benchmarks compute the ideal
schedule from it (the critical path of call latencies through the recorded dependencies), and
``opportune run --trace FILE`` writes it in Chrome's trace event format for Perfetto.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any


_PLAIN_ARGS = (str, int, float, bool, type(None))


def error_text(exc: BaseException) -> str:
    """How the trace names a call's failure, made without running any code of the exception's
    class: ``str(exc)`` runs its ``__str__``, which may print, raise or read the program's
    state; on the worker thread that made the call, before plain Python would have rendered
    it (if ever), that would add output, hang the call (an ``__str__`` that raises) or see
    another moment's state. The text comes from the arguments when they are plain values."""
    name = type(exc).__name__
    args = BaseException.args.__get__(exc)
    if len(args) == 1 and type(args[0]) is str:
        return f"{name}: {args[0]}" if args[0] else name
    if args and all(type(a) in _PLAIN_ARGS for a in args):
        return f"{name}: {args!r}" if len(args) > 1 else f"{name}: {args[0]!r}"
    return name


@dataclass
class CallRecord:
    """One external call. Times are seconds since the run started.

    ``deps`` are the calls its arguments or the program's course up to it were computed from,
    each used whole. ``read_from`` are the streamed calls part of whose text the program had
    read (an item of its lines) before it issued this one: a prefix, not a whole value, so no
    argument carries them, yet the call could not have been issued before that text arrived.
    """

    call_id: int
    name: str
    issued: float
    deps: tuple[int, ...]
    started: float | None = None
    finished: float | None = None
    ok: bool | None = None
    cancelled: bool = False
    error: str | None = None
    thread: int = 0
    first_token: float | None = None
    usage: dict[str, int] | None = None
    read_from: tuple[int, ...] = ()
    # A speculative read: the deferred arms (their writer registrations) it started before
    # they had decided; those of them that wrote what it reads, after which it was
    # made again; and the start and finish of that first, discarded attempt.
    ran_past: tuple[int, ...] = ()
    redone_after: tuple[int, ...] = ()
    first_attempt: tuple[float, float] | None = None
    # A speculative call (``@external(speculative=True)``): the speculative reads on whose
    # tentative results its arguments were computed when it was first made, and whether that
    # attempt's result was kept (True), or discarded (False: ``first_attempt`` holds its times
    # and the call was made again, or cancelled, where it would have been made without it).
    tentative_on: tuple[int, ...] = ()
    tentative_kept: bool | None = None

    @property
    def duration(self) -> float:
        if self.started is None or self.finished is None:
            return 0.0
        return self.finished - self.started

    def overlaps(self, other: CallRecord) -> bool:
        """Whether the two calls were running at the same time."""
        if None in (self.started, self.finished, other.started, other.finished):
            return False
        assert self.started is not None and self.finished is not None
        assert other.started is not None and other.finished is not None
        return self.started < other.finished and other.started < self.finished


@dataclass
class WaitRecord:
    """A place where the program thread had to stop and wait, and why."""

    started: float
    finished: float
    reason: str
    location: str
    waited_for: tuple[int, ...] = ()


@dataclass
class Schedule:
    """Everything recorded about one run."""

    calls: list[CallRecord] = field(default_factory=list)
    waits: list[WaitRecord] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)
    wall: float = 0.0
    first_output: float | None = None
    # The first output's place in program order: the calls with smaller ids came before it.
    first_output_seq: int | None = None

    def call(self, call_id: int) -> CallRecord:
        for record in self.calls:
            if record.call_id == call_id:
                return record
        raise KeyError(f"no call with id {call_id} in this schedule")

    def by_name(self, name: str) -> list[CallRecord]:
        return [c for c in self.calls if c.name == name or c.name.endswith("." + name)]

    @property
    def executed(self) -> list[CallRecord]:
        return [c for c in self.calls if c.started is not None]

    def max_concurrency(self) -> int:
        """The largest number of calls that were running at one moment."""
        events: list[tuple[float, int]] = []
        for c in self.executed:
            assert c.started is not None and c.finished is not None
            events.append((c.started, 1))
            events.append((c.finished, -1))
        events.sort(key=lambda e: (e[0], e[1]))
        best = current = 0
        for _, delta in events:
            current += delta
            best = max(best, current)
        return best

    def summed_call_time(self) -> float:
        return sum(c.duration for c in self.executed)

    def ideal(self) -> float:
        """Critical path of call durations through the recorded dependencies.

        Calls with no recorded dependency could all have started at time zero; a call starts no
        earlier than the ideal finish of every call it depended on, or, for work on the prefix
        of a streamed answer, than the point of that answer it started from.
        """
        finish: dict[int, float] = {}
        began: dict[int, float] = {}
        records = {c.call_id: c for c in self.executed}
        for c in sorted(self.executed, key=lambda c: c.call_id):
            start = max([*(self.ready(records.get(d), c.started, began, finish) for d in c.deps),
                         *(self.ready(records.get(d), c.issued, began, finish)
                           for d in c.read_from)], default=0.0)
            began[c.call_id] = start
            finish[c.call_id] = start + c.duration
        return max(finish.values(), default=0.0)

    @staticmethod
    def ready(dep: CallRecord | None, at: float | None, began: dict[int, float],
              finish: dict[int, float]) -> float:
        """When a call could have started as far as ``dep`` is concerned, given the ideal
        ``began``/``finish`` times so far: at ``dep``'s end, or, if the call used a prefix of
        ``dep``'s streamed answer (``at``, when it read it, came before ``dep`` finished), as
        far into ``dep`` as it was in the real run. For a dependency through an argument ``at``
        is the call's start: a pending argument lets a call be issued early, never started."""
        if dep is None:
            return 0.0
        done = finish.get(dep.call_id, 0.0)
        if dep.first_token is None or dep.started is None or dep.finished is None \
                or at is None or at >= dep.finished:
            return done
        return began.get(dep.call_id, 0.0) + max(0.0, at - dep.started)

    def efficiency(self) -> float:
        return self.ideal() / self.wall if self.wall > 0 else 1.0

    def summary(self) -> str:
        line = (
            f"opportune: {len(self.executed)} calls, wall {self.wall:.3f}s, "
            f"summed call time {self.summed_call_time():.3f}s, ideal {self.ideal():.3f}s, "
            f"efficiency {self.efficiency():.2f}, max in flight {self.max_concurrency()}"
        )
        if self.first_output is not None:
            line += f", first output {self.first_output:.3f}s"
        return line

    def explain(self) -> str:
        """Human-readable list of every place the program had to wait, and why."""
        lines = []
        for f in self.fallbacks:
            lines.append(f"fallback: {f}")
        for w in self.waits:
            what = f" for calls {list(w.waited_for)}" if w.waited_for else ""
            where = "" if w.location == "<unknown>" else f"{w.location}: "
            lines.append(f"{where}waited {w.finished - w.started:.3f}s{what}: {w.reason}")
        if not lines:
            lines.append("the program never had to wait")
        lines.extend(self._speculation())
        return "\n".join(lines)

    def _speculation(self) -> list[str]:
        """One line per read that ran before earlier deferred arms had decided, and one per
        call made on the tentative result of such a read."""
        lines = []
        for c in self.calls:
            if c.tentative_on:
                lines.append(self._speculative_call(c))
            if not c.ran_past:
                continue
            n = len(c.ran_past)
            head = (f"speculative read: call {c.call_id} {c.name} ran before "
                    f"{n} deferred arm{'s' if n > 1 else ''} had decided")
            if c.redone_after:
                lines.append(f"{head}; {len(c.redone_after)} of them wrote what it reads, so "
                             "its result was discarded and it was made again after them")
            else:
                lines.append(f"{head}; none wrote what it reads, so its result was kept")
        return lines

    @staticmethod
    def _speculative_call(c: CallRecord) -> str:
        reads = ", ".join(str(r) for r in c.tentative_on)
        head = (f"speculative call: call {c.call_id} {c.name} was made on the tentative "
                f"result of read{'s' if len(c.tentative_on) > 1 else ''} {reads}")
        if c.tentative_kept:
            return f"{head}; it was confirmed, so the answer was kept"
        if c.tentative_kept is None:
            return f"{head}; the run ended before its final arguments were known"
        if c.cancelled:
            return f"{head}; its final arguments failed, so the answer was discarded"
        return (f"{head}; it was made again and the final arguments are not the ones the call "
                "was made on, so the answer was discarded and the call made again on them")

    def to_chrome(self) -> dict[str, Any]:
        """Chrome trace event format: one track per call, dependencies as flow arrows."""
        pid = os.getpid()
        events: list[dict[str, Any]] = [
            {"ph": "M", "pid": pid, "tid": 0, "name": "thread_name", "args": {"name": "program"}}
        ]
        for c in self.executed:
            assert c.started is not None and c.finished is not None
            tid = c.call_id + 1
            events.append(
                {"ph": "M", "pid": pid, "tid": tid, "name": "thread_name",
                 "args": {"name": f"#{c.call_id} {c.name}"}}
            )
            args: dict[str, Any] = {"issued_s": c.issued, "deps": list(c.deps), "ok": c.ok}
            if c.read_from:
                args["read_from"] = list(c.read_from)
            if c.error:
                args["error"] = c.error
            if c.usage:
                args["usage"] = c.usage
            events.append(
                {"ph": "X", "pid": pid, "tid": tid, "name": c.name, "cat": "call",
                 "ts": c.started * 1e6, "dur": max(c.duration, 1e-6) * 1e6, "args": args}
            )
            if c.first_token is not None:
                events.append({"ph": "i", "pid": pid, "tid": tid, "name": "first token",
                               "ts": c.first_token * 1e6, "s": "t"})
            for d in c.deps:
                try:
                    dep = self.call(d)
                except KeyError:
                    continue
                if dep.finished is None:
                    continue
                flow = f"{d}->{c.call_id}"
                events.append({"ph": "s", "pid": pid, "tid": d + 1, "name": "dep", "cat": "dep",
                               "id": flow, "ts": dep.finished * 1e6})
                events.append({"ph": "f", "pid": pid, "tid": tid, "name": "dep", "cat": "dep",
                               "id": flow, "ts": c.started * 1e6, "bp": "e"})
        for w in self.waits:
            events.append(
                {"ph": "X", "pid": pid, "tid": 0, "name": f"wait: {w.reason}", "cat": "wait",
                 "ts": w.started * 1e6, "dur": max(w.finished - w.started, 1e-6) * 1e6,
                 "args": {"location": w.location, "waited_for": list(w.waited_for)}}
            )
        return {"traceEvents": events, "displayTimeUnit": "ms",
                "otherData": {"summary": self.summary()}}

    def write_chrome(self, path: str | os.PathLike[str]) -> None:
        import json
        from pathlib import Path

        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(json.dumps(self.to_chrome()))
        tmp.replace(target)
