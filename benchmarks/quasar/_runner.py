"""Running a set of tasks in both modes, side by side in one process."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.quasar._data import Task, load_tasks
from benchmarks.quasar._harness import (
    ModeResult,
    OpportuneUnavailable,
    load_suite,
    opportune_runner,
    run_task,
)
from benchmarks.quasar._report import TaskRow

# A representative quick set: two programs per suite, one with independent LLM calls Quasar sped
# up and one it could not, about 40 s of sequential replay in all.
QUICK_TASKS = (
    "banking_user_task_11",
    "banking_user_task_1",
    "slack_user_task_16",
    "slack_user_task_1",
    "travel_user_task_1",
    "travel_user_task_13",
    "workspace_user_task_1",
    "workspace_user_task_30",
)


def select(
    *,
    data: str | Path | None = None,
    quick: bool = False,
    suites: Sequence[str] = (),
    names: Sequence[str] = (),
) -> list[Task]:
    """The tasks to run, in index order."""
    tasks = load_tasks(data)
    known = {t.name for t in tasks}
    wanted = set(names) | (set(QUICK_TASKS) if quick else set())
    unknown = sorted(wanted - known)
    if unknown:
        raise ValueError(
            f"unknown task(s) {', '.join(unknown)}; task names look like 'travel_user_task_12' "
            "(see index.json in the data folder)"
        )
    suite_names = {t.suite for t in tasks}
    bad_suites = sorted(set(suites) - suite_names)
    if bad_suites:
        raise ValueError(
            f"unknown suite(s) {', '.join(bad_suites)}; choose from {', '.join(sorted(suite_names))}"
        )
    if wanted:
        tasks = [t for t in tasks if t.name in wanted]
    if suites:
        tasks = [t for t in tasks if t.suite in suites]
    return tasks


def opportune_available() -> str | None:
    """None if opportune can run programs, else the reason it cannot."""
    try:
        opportune_runner()
    except OpportuneUnavailable as error:
        return str(error)
    return None


def run_tasks(
    tasks: Sequence[Task],
    *,
    latency_scale: float = 1.0,
    with_opportune: bool = True,
    explain: bool = False,
    speculative_llm: bool = False,
    progress: Callable[[TaskRow], None] | None = None,
) -> list[TaskRow]:
    """Each task sequentially and then under opportune, one after the other.

    The process holds a large heap of long-lived objects (agentdojo imports several SDKs), and a
    full garbage collection of it takes a few hundred milliseconds, landing in whichever run it
    happens to hit. So the heap is frozen once after setup, and every timed run starts from a
    collection (``run_task``), the same for both modes. ``speculative_llm``: the opportune
    mode declares the assistant ``speculative=True`` (a separate, labelled mode).
    """
    rows = []
    for suite in sorted({t.suite for t in tasks}):
        load_suite(suite)
    gc.collect()
    gc.freeze()
    for task in tasks:
        sequential = run_task(task, "sequential", latency_scale=latency_scale)
        parallel: ModeResult | None = None
        if with_opportune:
            parallel = run_task(task, "opportune", latency_scale=latency_scale, explain=explain,
                                speculative_llm=speculative_llm)
        row = TaskRow(task, sequential, parallel)
        rows.append(row)
        if progress is not None:
            progress(row)
    return rows
