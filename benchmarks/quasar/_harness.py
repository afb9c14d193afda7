"""Running one task in one mode: the environment, the program, the clock and the verdict.

Each run gets a fresh default environment of its suite, initialised by its user task, with a deep
copy kept as the pre-environment; the program runs against the environment itself, and
AgentDojo's utility check compares the two afterwards. Only the program's execution is timed;
loading the environment and scoring are not, as in the artifact.
"""

from __future__ import annotations

import gc
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from benchmarks.quasar import _prelude
from benchmarks.quasar._data import Task
from benchmarks.quasar._program import program_globals, result_of, with_result_capture
from benchmarks.quasar._recording import Recording
from benchmarks.quasar._tools import TOOL_EFFECTS, suite_tools

BENCHMARK_VERSION = "v1.2.1"
Mode = Literal["sequential", "opportune"]
MODES: tuple[Mode, ...] = ("sequential", "opportune")


class OpportuneUnavailable(RuntimeError):
    """Raised when the installed opportune has no ``run_source`` to run a program with."""


@dataclass
class ModeResult:
    """What one run of one program in one mode produced."""

    mode: Mode
    # The opportune mode ran with query_ai_assistant declared speculative=True (``--speculative-llm``):
    # a question built from a read that ran ahead of an undecided write may be asked before
    # the read is confirmed (docs/quasar.md, *Speculative LLM calls*). Never in the headline.
    speculative_llm: bool = False
    time_s: float | None = None
    result: str | None = None
    utility: bool | None = None
    error: str | None = None
    llm_calls: int = 0
    unused_recordings: int = 0
    calls: list[dict[str, float]] = field(default_factory=list)
    waits: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def load_suite(name: str) -> Any:
    """The AgentDojo suite ``name`` at the benchmark version the data was recorded with."""
    from agentdojo.task_suite.load_suites import get_suite

    return get_suite(BENCHMARK_VERSION, name)


def prelude(runner: Callable[[str, dict[str, Any], str], dict[str, Any]]) -> Callable[..., Any]:
    """``CreateSchema``, defined by running the prelude's source the way the program will run."""
    path = Path(_prelude.__file__)
    namespace: dict[str, Any] = {"__name__": "quasar_prelude", "__builtins__": __builtins__}
    namespace = runner(path.read_text(encoding="utf-8"), namespace, str(path))
    create_schema: Callable[..., Any] = namespace["CreateSchema"]
    return create_schema


def run_sequential(source: str, namespace: dict[str, Any], filename: str) -> dict[str, Any]:
    """Plain Python: the program as module-level code."""
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 (running the program is the point)
    return namespace


def opportune_runner(*, explain: bool = False) -> Callable[[str, dict[str, Any], str], dict[str, Any]]:
    """``opportune.run_source`` as a runner, or :class:`OpportuneUnavailable`.

    With ``explain``, the runtime also records where the program had to wait and why (slower;
    for diagnosis, not for the headline times).
    """
    import opportune

    run_source = getattr(opportune, "run_source", None)
    if run_source is None:
        raise OpportuneUnavailable(
            "the installed opportune has no run_source(source, globals, filename=...); install a "
            "version that has it to run the opportune mode, or pass --modes sequential"
        )

    options = {"explain": True} if explain else {}

    def run(source: str, namespace: dict[str, Any], filename: str) -> dict[str, Any]:
        result: dict[str, Any] = run_source(source, namespace, filename=filename, **options)
        return result

    return run


def as_externals(
    tools: dict[str, Callable[..., Any]], query_ai_assistant: Callable[..., Any],
    *, speculative_llm: bool = False,
) -> tuple[dict[str, Callable[..., Any]], Callable[..., Any]]:
    """The tools and the assistant as opportune externals, with their effects on the
    environment (``_tools.TOOL_EFFECTS``); with ``speculative_llm`` the assistant is declared
    ``speculative=True``."""
    import opportune

    wrapped: dict[str, Callable[..., Any]] = {}
    for name, tool in tools.items():
        effect = TOOL_EFFECTS[name]
        if effect.effect == "write" and effect.changes_read_results:
            decorate = opportune.external(
                writes=effect.resources, changes_read_results=True, name=name
            )
        elif effect.effect == "write":
            decorate = opportune.external(
                writes=effect.resources, mutates=effect.changes_held_objects, name=name
            )
        else:
            decorate = opportune.external(reads=effect.resources, name=name)
        wrapped[name] = decorate(tool)
    # The assistant is a method of the Recording, whose body pops a queue and appends to a log on
    # ``self``: opportune would read that as a change to an object the program holds and run the
    # call with the program waiting. That state is the harness's own bookkeeping, locked, and
    # never reaches the program, so the method is declared not to mutate.
    assistant = opportune.external(
        name="query_ai_assistant", mutates=False, speculative=speculative_llm
    )(query_ai_assistant)
    return wrapped, assistant


def run_task(
    task: Task, mode: Mode, *, latency_scale: float = 1.0, explain: bool = False,
    speculative_llm: bool = False,
) -> ModeResult:
    """Run ``task``'s program once in ``mode`` and score it; ``speculative_llm`` (opportune
    mode only) declares the assistant ``speculative=True``."""
    speculative_llm = speculative_llm and mode == "opportune"
    outcome = ModeResult(mode, speculative_llm=speculative_llm)
    runner = run_sequential if mode == "sequential" else opportune_runner(explain=explain)

    suite = load_suite(task.suite)
    user_task = suite.user_tasks[task.user_task_id]
    env = user_task.init_environment(suite.load_and_inject_default_environment({}))
    pre_environment = env.model_copy(deep=True)

    recording = Recording(task.recorded_calls, latency_scale=latency_scale)
    tools = suite_tools(suite, env)
    assistant: Callable[..., Any] = recording.query_ai_assistant
    if mode == "opportune":
        tools, assistant = as_externals(tools, assistant, speculative_llm=speculative_llm)
    namespace = program_globals(tools, assistant, prelude(runner))
    source = with_result_capture(task.source, filename=str(task.program_path))

    # Building the environment above fills the young generations; collect it here, not before,
    # so that the collection it would trigger does not land inside the timed run. Without this,
    # a generation-1 collection fell in 9 of 10 opportune runs of the short workspace programs
    # (compiling allocates enough to trigger it; the sequential run does not), 1-2.4 ms each.
    gc.collect()
    started = time.perf_counter()
    try:
        namespace = runner(source, namespace, str(task.program_path))
    except Exception as error:  # noqa: BLE001 (the program's failure is a result, not a crash)
        outcome.time_s = time.perf_counter() - started
        outcome.error = "".join(traceback.format_exception_only(error)).strip()
        if os.environ.get("QUASAR_TRACEBACK"):  # diagnosis: where the program failed
            traceback.print_exc()
        outcome.calls = _call_log(recording, started)
        outcome.llm_calls = len(recording.log)
        return outcome
    outcome.time_s = time.perf_counter() - started
    if explain and mode == "opportune":
        outcome.waits = _waits(task)

    result = str(result_of(namespace))
    outcome.result = result
    outcome.utility = bool(
        user_task.utility(
            model_output=result, pre_environment=pre_environment, post_environment=env
        )
    )
    outcome.llm_calls = len(recording.log)
    outcome.unused_recordings = recording.remaining()
    outcome.calls = _call_log(recording, started)
    return outcome


def _call_log(recording: Recording, origin: float) -> list[dict[str, float]]:
    return [
        {"start_s": call.started - origin, "end_s": call.finished - origin, "latency_s": call.latency_s}
        for call in sorted(recording.log, key=lambda c: c.started)
    ]


def _waits(task: Task) -> list[str]:
    """Where the program thread waited in the last opportune run, longest first."""
    import opportune

    schedule = opportune.last_schedule()
    waits = sorted(schedule.waits, key=lambda w: w.started - w.finished)
    program = str(task.program_path)
    return [
        f"{w.location.replace(program, 'line')}: {w.reason} ({w.finished - w.started:.3f} s)"
        for w in waits
    ] + [line for line in schedule.explain().splitlines() if line.startswith("speculative ")]
