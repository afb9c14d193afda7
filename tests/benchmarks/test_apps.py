"""Every benchmark app gives the same output sequentially, under opportune (streaming off and on)
and as asyncio, and
the opportune run's recorded schedule has the overlap the program's shape allows.

Latencies are scaled down (the simulator's and the tools'), and nothing here asserts on
wall-clock time: overlap is read from the recorded call start and finish times. Nor does an
overlap depend on those latencies being long enough: in the opportune runs the calls a check
expects to overlap are held until their whole group has started, LLM requests at a gate of the
simulator (``SimServer.gated``), tool calls at ``tests/core/overlap.py``'s meeting point (through
``benchmarks.apps._common.tool_call_hook``). A runtime that serialised them fails with the
group named, after the gates' timeout (docs/testing.md).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks import runner
from benchmarks.apps import APP_NAMES, _common, load, spec_of
from benchmarks.apps._tools import detect_result
from opportune import Schedule
from opportune.sim import Gate, SimServer

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from core.overlap import Key, calls_to, meet, overlapping

SCALE = 0.1  # LLM ttft 10-20 ms, searches 30 ms


@dataclass(frozen=True)
class Together:
    """What the opportune runs must have in flight at once: groups of LLM requests (simulator
    gates) and groups of tool calls (named as in ``tests/core/overlap.py``)."""

    gates: tuple[Gate, ...] = ()
    tools: tuple[frozenset[Key], ...] = ()


@contextlib.contextmanager
def held_together(sim: SimServer, together: Together) -> Iterator[None]:
    """Hold each group's calls until all of them started, for one opportune run, and check that
    every named tool call was made (a misnamed one would leave its group unarmed)."""
    seen: set[Key] = set()

    def hook(name: str, first_arg: str) -> None:
        seen.add((name, first_arg))
        meet(name, first_arg)

    with contextlib.ExitStack() as stack:
        if together.gates:
            stack.enter_context(sim.gated(*together.gates))
        if together.tools:
            stack.enter_context(overlapping(*together.tools))
            _common.tool_call_hook = hook
            stack.callback(setattr, _common, "tool_call_hook", None)
        yield
    named = frozenset().union(*together.tools)
    assert named <= seen, f"tool calls named but never made: {sorted(named - seen)}"


def _runs(name: str, together: Together | None = None
          ) -> Iterator[tuple[str, runner.ModeResult, Schedule | None]]:
    module = load(name)
    spec = spec_of(module)
    with SimServer(spec.sim_config(scale=SCALE)) as sim, runner.endpoint_env(sim.base_url, SCALE):
        for mode in runner.MODES:
            if together is None or mode not in runner.OPPORTUNE_MODES:
                yield mode, *runner._run_mode(module, mode, spec.args("test"))
                continue
            ran: list[tuple[runner.ModeResult, Schedule | None]] = []
            try:
                with held_together(sim, together):
                    ran.append(runner._run_mode(module, mode, spec.args("test")))
            except AssertionError:
                # a run that failed says why itself (a gate's timeout included); a gate's report
                # of the same group would hide that
                if not ran or ran[0][0].error is None:
                    raise
            yield mode, *ran[0]


def run_modes(name: str) -> tuple[dict[str, runner.ModeResult], Schedule | None]:
    """Every mode's result, and the last opportune mode's schedule."""
    results: dict[str, runner.ModeResult] = {}
    schedule = None
    for mode, result, sched in _runs(name):
        results[mode] = result
        schedule = sched or schedule
    return results, schedule


_EXPECTED_FAIL: dict[str, pytest.MarkDecorator] = {}


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=_EXPECTED_FAIL.get(n, ())) for n in APP_NAMES]
)
def test_every_mode_prints_what_sequential_prints(name: str) -> None:
    results, _ = run_modes(name)
    for mode, result in results.items():
        assert result.error is None, f"{name} {mode}: {result.error}"
    assert results["sequential"].output.strip(), "the app printed nothing"
    assert set(results) == set(runner.MODES)
    for mode in ("opportune", "opportune+stream", "asyncio"):
        assert results[mode].output == results["sequential"].output, mode


def _all_overlap(calls: list) -> bool:  # type: ignore[type-arg]
    return all(a.overlaps(b) for a, b in itertools.combinations(calls, 2))


def _searches_overlap(s: Schedule, n: int) -> bool:
    return len(s.by_name("search")) == n and _all_overlap(s.by_name("search"))


def _llm(pattern: str, count: int) -> Gate:
    return Gate(pattern=pattern, count=count)


def _patches() -> list[str]:
    from benchmarks.apps.vqa import IMAGE

    return detect_result(IMAGE, "building") + detect_result(IMAGE, "car")


def _searches(*queries: str) -> Together:
    return Together(tools=(calls_to("search", *queries),))


# (app, what is held together in the opportune runs, the check on each opportune schedule).
# A check says "at least" where a later call may legitimately start while the held group still
# runs (a combine after the first two summaries, an expansion while the outline's stream ends).
OVERLAP: list[tuple[str, Callable[[], Together], Callable[[Schedule], bool]]] = [
    ("movie", lambda: _searches(*load("movie").ENTITIES), lambda s: _searches_overlap(s, 8)),
    ("hotpotqa", lambda: _searches(*load("hotpotqa").ENTITIES),
     lambda s: _searches_overlap(s, 2)),
    ("mapreduce", lambda: Together(gates=(_llm("Summarise this passage", 16),)),
     lambda s: s.max_concurrency() >= 16),
    ("vqa", lambda: Together(tools=(calls_to("ask_patch", *_patches()),)),
     lambda s: len(s.by_name("ask_patch")) == len(_patches())
     and _all_overlap(s.by_name("ask_patch"))),
    ("outline", lambda: Together(gates=(_llm("Expand the section", 8),)),
     lambda s: s.max_concurrency() >= 8),
    ("batch", lambda: Together(gates=(_llm("Classify support ticket", 20),)),
     lambda s: s.max_concurrency() >= 20),
    ("parallelqa", lambda: _searches("population of Lyon", "population of Porto",
                                     "area of Tyrol", "area of Umbria"),
     lambda s: _searches_overlap(s, 4)),
    # the first level's six candidates are evaluated together
    ("tot", lambda: Together(gates=(_llm("can reach 24", 6),)),
     lambda s: s.max_concurrency() >= 6),
    ("selfconsistency", lambda: Together(gates=(_llm("Let's think step by step", 10),)),
     lambda s: s.max_concurrency() == 10),
]


@pytest.mark.parametrize(("name", "together", "check"), OVERLAP)
def test_opportune_schedule_overlaps_independent_calls(name: str, together, check) -> None:  # type: ignore[no-untyped-def]
    for mode, result, schedule in _runs(name, together()):
        if mode not in runner.OPPORTUNE_MODES:
            continue
        assert result.error is None, f"{mode}: {result.error}"
        assert schedule is not None
        assert check(schedule), f"{mode}: {schedule.summary()}"


def test_sequential_agent_loop_never_overlaps() -> None:
    results, schedule = run_modes("agent_loop")
    assert results["opportune"].error is None
    assert schedule is not None
    assert len(schedule.executed) == 12
    assert schedule.max_concurrency() == 1
    assert not any(a.overlaps(b) for a, b in itertools.combinations(schedule.executed, 2))


def test_ideal_with_waits_adds_control_dependencies() -> None:
    """The outline's expansions wait for the outline, which no argument records."""
    _, schedule = run_modes("outline")
    assert schedule is not None
    outline_call = min(schedule.executed, key=lambda c: c.call_id)
    longest_section = max(c.duration for c in schedule.executed if c is not outline_call)
    # a streamed outline lets each expansion start at its own line, not at the outline's end
    outline_part = 0.0 if outline_call.first_token is not None else outline_call.duration
    assert runner.ideal_with_waits(schedule) >= outline_part + longest_section - 1e-9
    assert runner.ideal_with_waits(schedule) >= schedule.ideal()


@pytest.mark.parametrize(("saved", "mode", "inside"), [
    (None, "opportune", "0"),
    (None, "opportune+stream", "1"),
    ("0", "opportune+stream", "1"),
    ("1", "opportune", "0"),
    ("0", "sequential", "0"),
    (None, "asyncio", None),
])
def test_stream_env_is_set_for_the_mode_and_restored(monkeypatch, saved, mode, inside) -> None:  # type: ignore[no-untyped-def]
    if saved is None:
        monkeypatch.delenv(runner.STREAM_ENV, raising=False)
    else:
        monkeypatch.setenv(runner.STREAM_ENV, saved)
    with runner.stream_env(mode):
        assert os.environ.get(runner.STREAM_ENV) == inside
    assert os.environ.get(runner.STREAM_ENV) == saved


def test_unknown_mode_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="choose one of"):
        runner._run_mode(load("outline"), "opportune-stream", [])


def test_unknown_app_is_named_in_the_error() -> None:
    with pytest.raises(KeyError, match="choose one of"):
        load("no-such-app")


def test_capacity_bound_is_the_slot_time_over_the_slots() -> None:
    assert runner.capacity_bound(128.0, 64) == pytest.approx(2.0)
    assert runner.capacity_bound(None, 64) is None


def test_batch_ideal_with_slots_counts_every_request_the_simulator_served() -> None:
    """The ideal with slots is read from the simulator's own log of the opportune run: every
    request's decoding time (at least its time to first token), over the slots."""
    module = load("batch")
    spec = spec_of(module)
    result = runner.run_app(module, scale=SCALE, profile="test", timelines=None,
                            in_process_sim=True)
    tickets = int(spec.args("test")[0])
    for mode in runner.MODES:
        r = result.modes[mode]
        assert r.error is None, r.error
        assert r.server_requests == 2 * tickets, mode  # the warm-up's requests are not counted
        assert r.server_busy_s is not None and r.server_busy_s >= 2 * tickets * spec.timing.ttft * SCALE
        assert r.cpu_seconds is not None and r.cpu_seconds > 0
    assert result.slots == spec.timing.slots
    busy = result.modes["opportune"].server_busy_s
    assert busy is not None
    assert result.capacity_bound == pytest.approx(busy / spec.timing.slots)
    assert result.ideal is not None and result.ideal_with_slots is not None
    assert result.ideal_with_slots == pytest.approx(max(result.ideal, result.capacity_bound))
    table = runner.markdown([result], None, {"profile": "test", "scale": SCALE, "host": "h",
                                             "date": "d", "python": "3"})
    assert "ideal with slots s" in table and "CPU seconds" in table
