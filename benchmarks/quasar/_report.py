"""Per-task rows, per-suite aggregates, the markdown table and the results file.

Aggregates follow the Quasar artifact's figure script, so ours and the paper's are computed by
the same function: a task's time reduction is ``1 - parallel_time / sequential_time``; the mean
is taken over all tasks with both times, over those whose sequential time exceeds 0.1 s, and
"when possible" over those where the parallel time is below 0.975 of the sequential time.
"""

from __future__ import annotations

import json
import platform
import socket
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from statistics import fmean
from typing import Any

from benchmarks.quasar._data import REPO_ROOT, SUITES, Task
from benchmarks.quasar._harness import ModeResult

MIN_SEQUENTIAL_S = 0.1
WHEN_POSSIBLE = 0.975
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"


@dataclass(frozen=True)
class Reduction:
    """Mean time reductions of one group of tasks, computed like the artifact's figure script."""

    n: int
    mean_all: float | None
    n_over_min: int
    mean_over_min: float | None
    n_possible: int
    mean_possible: float | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _mean(values: Sequence[float]) -> float | None:
    return fmean(values) if values else None


def reduction(pairs: Iterable[tuple[float | None, float | None]]) -> Reduction:
    """Aggregate ``(sequential_s, parallel_s)`` pairs; pairs with a missing time are skipped."""
    both = [(s, p) for s, p in pairs if s is not None and p is not None]
    every = [1.0 - p / s for s, p in both]
    over = [1.0 - p / s for s, p in both if s > MIN_SEQUENTIAL_S]
    possible = [1.0 - p / s for s, p in both if p < WHEN_POSSIBLE * s]
    return Reduction(
        len(every), _mean(every), len(over), _mean(over), len(possible), _mean(possible)
    )


def _time(outcome: ModeResult | None) -> float | None:
    return None if outcome is None or outcome.error else outcome.time_s


@dataclass
class TaskRow:
    """One task's outcome in both modes, beside the artifact's figures for it."""

    task: Task
    sequential: ModeResult
    opportune: ModeResult | None

    def _times(self) -> tuple[float | None, float | None]:
        """Both modes' times; a run that raised has none."""
        return _time(self.sequential), _time(self.opportune)

    @property
    def speedup(self) -> float | None:
        s, o = self._times()
        return None if not s or not o else s / o

    @property
    def reduction(self) -> float | None:
        s, o = self._times()
        return None if not s or o is None else 1.0 - o / s

    @property
    def results_equal(self) -> bool | None:
        """Whether opportune's result string equals our sequential one (None if either failed)."""
        if self.opportune is None or self.opportune.error or self.sequential.error:
            return None
        return self.opportune.result == self.sequential.result

    @property
    def matches_recording(self) -> bool | None:
        """Whether our sequential result equals the artifact's (None where it stored none)."""
        recorded = self.task.recorded_result
        if recorded is None or self.sequential.error:
            return None
        return self.sequential.result == recorded

    def to_json(self) -> dict[str, Any]:
        return {
            "suite": self.task.suite,
            "task": self.task.name,
            "n_llm_calls": self.task.entry["n_llm_calls"],
            "sequential": self.sequential.to_json(),
            "opportune": None if self.opportune is None else self.opportune.to_json(),
            "speedup": self.speedup,
            "reduction": self.reduction,
            "results_equal": self.results_equal,
            "sequential_matches_recording": self.matches_recording,
            "paper": {
                "py_replay_time_s": self.task.py_time_s,
                "quasar_replay_time_s": self.task.quasar_time_s,
                "quasar_reduction": self.task.quasar_reduction,
                "py_replay_utility": self.task.entry.get("py_replay_utility"),
                "quasar_replay_utility": self.task.entry.get("quasar_replay_utility"),
                "quasar_replay_error": self.task.entry.get("quasar_replay_error"),
                "note": self.task.entry.get("note"),
            },
        }


def paper_reduction(tasks: Iterable[Task]) -> Reduction:
    """The paper's Quasar figures for ``tasks``, from the artifact's recorded times."""
    return reduction((t.py_time_s, t.quasar_time_s) for t in tasks)


def our_reduction(rows: Iterable[TaskRow], *, only_where_quasar_ran: bool = False) -> Reduction:
    return reduction(
        r._times()
        for r in rows
        if not only_where_quasar_ran or r.task.quasar_time_s is not None
    )


def groups(rows: Sequence[TaskRow]) -> list[tuple[str, list[TaskRow]]]:
    present = [s for s in SUITES if any(r.task.suite == s for r in rows)]
    out = [(s, [r for r in rows if r.task.suite == s]) for s in present]
    return out + [("overall", list(rows))]


def summary(rows: Sequence[TaskRow]) -> list[dict[str, Any]]:
    table = []
    for name, members in groups(rows):
        # totals over the tasks both modes completed, so a failed run cannot look fast
        timed = [(s, o) for s, o in (r._times() for r in members) if s is not None and o is not None]
        if all(r.opportune is None for r in members):  # a sequential-only run
            timed = [(s, 0.0) for s, _ in (r._times() for r in members) if s is not None]
        table.append(
            {
                "group": name,
                "tasks": len(members),
                "ours": our_reduction(members).to_json(),
                "ours_where_quasar_ran": our_reduction(members, only_where_quasar_ran=True).to_json(),
                "quasar": paper_reduction(r.task for r in members).to_json(),
                "sequential_s": sum(s for s, o in timed),
                "opportune_s": sum(o for s, o in timed),
                "results_equal": sum(r.results_equal is True for r in members),
                "results_compared": sum(r.results_equal is not None for r in members),
                "utility_sequential": sum(r.sequential.utility is True for r in members),
                "utility_opportune": sum(
                    r.opportune is not None and r.opportune.utility is True for r in members
                ),
            }
        )
    return table


def _f(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _b(value: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "n/a"}[value]


def task_table(rows: Sequence[TaskRow]) -> str:
    lines = [
        (
            "| task | calls | seq s | opportune s | speedup | reduction | Quasar reduction | "
            "result = seq | seq = recorded | utility seq / opp |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        o = r.opportune
        opp_time = "error" if o is not None and o.error else _f(_time(o), 2)
        quasar = _f(r.task.quasar_reduction) if r.task.quasar_time_s is not None else "failed"
        utility = f"{_b(r.sequential.utility)} / {_b(o.utility if o else None)}"
        lines.append(
            f"| {r.task.name} | {r.task.entry['n_llm_calls']} | {_f(r.sequential.time_s, 2)} | "
            f"{opp_time} | {_f(r.speedup, 2)}x | {_f(r.reduction)} | {quasar} | "
            f"{_b(r.results_equal)} | {_b(r.matches_recording)} | {utility} |"
        )
    notes = [
        f"- {r.task.name}: {r.task.entry['note']}" for r in rows if r.task.entry.get("note")
    ] + [
        f"- {r.task.name}: Quasar failed ({r.task.entry['quasar_replay_error'].split(' (')[0]})"
        for r in rows
        if r.task.entry.get("quasar_replay_error")
    ]
    if notes:
        lines += ["", "Notes from the artifact:", *notes]
    return "\n".join(lines)


def summary_table(rows: Sequence[TaskRow]) -> str:
    lines = [
        (
            "| group | tasks | seq s | opportune s | ours: mean reduction (all) | "
            "ours: mean (seq > 0.1 s) | ours: when possible | Quasar: mean (all) | "
            "Quasar: mean (py > 0.1 s) | Quasar: when possible | results equal | utility seq / opp |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in summary(rows):
        ours, quasar = entry["ours"], entry["quasar"]
        lines.append(
            f"| {entry['group']} | {entry['tasks']} | {entry['sequential_s']:.1f} | "
            f"{entry['opportune_s']:.1f} | {_f(ours['mean_all'])} (n={ours['n']}) | "
            f"{_f(ours['mean_over_min'])} (n={ours['n_over_min']}) | "
            f"{_f(ours['mean_possible'])} (n={ours['n_possible']}) | "
            f"{_f(quasar['mean_all'])} (n={quasar['n']}) | "
            f"{_f(quasar['mean_over_min'])} (n={quasar['n_over_min']}) | "
            f"{_f(quasar['mean_possible'])} (n={quasar['n_possible']}) | "
            f"{entry['results_equal']} / {entry['results_compared']} | "
            f"{entry['utility_sequential']} / {entry['utility_opportune']} |"
        )
    return "\n".join(lines)


def source_state() -> dict[str, Any]:
    """The commit the run used, and whether the runtime's sources differed from it."""
    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    return {
        "commit": git("rev-parse", "HEAD") or None,
        "src_modified": bool(git("status", "--porcelain", "--", "src/opportune")),
    }


def write_results(
    rows: Sequence[TaskRow], *, settings: dict[str, Any], directory: Path | None = None
) -> Path:
    """Write ``benchmarks/results/quasar-<date>-<host>[-speculative][-scale<F>][-quick|-partial].json``.

    Only a full run at the recorded latencies in the default mode gets the plain name, so a
    quick, partial or speculative run never overwrites the headline file.
    """
    folder = directory or RESULTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    host = socket.gethostname().split(".")[0] or "host"
    suffix = "-speculative" if settings.get("speculative_llm") else ""
    if settings.get("latency_scale", 1.0) != 1.0:
        suffix += f"-scale{settings['latency_scale']:g}"
    if settings.get("quick"):
        suffix += "-quick"
    elif settings.get("suites") or settings.get("tasks"):
        suffix += "-partial"
    path = folder / f"quasar-{now:%Y-%m-%d}-{host}{suffix}.json"
    payload = {
        "benchmark": "quasar-agentdojo-replay",
        "created": now.isoformat(timespec="seconds"),
        "host": host,
        "python": platform.python_version(),
        "settings": settings,
        "summary": summary(rows),
        "tasks": [r.to_json() for r in rows],
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path
