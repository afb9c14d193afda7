"""Every benchmark app gives the same output sequentially, under opportune (streaming off and on)
and as asyncio, and
the opportune run's recorded schedule has the overlap the program's shape allows.

Latencies are scaled down (the simulator's and the tools'), and nothing here asserts on
wall-clock time: overlap is read from the recorded call start and finish times.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from benchmarks import runner
from benchmarks.apps import APP_NAMES, load, spec_of
from opportune import Schedule
from opportune.sim import SimServer

SCALE = 0.1  # LLM ttft 10-20 ms, searches 30 ms

def _runs(name: str) -> Iterator[tuple[str, runner.ModeResult, Schedule | None]]:
    module = load(name)
    spec = spec_of(module)
    with SimServer(spec.sim_config(scale=SCALE)) as sim, runner.endpoint_env(sim.base_url, SCALE):
        for mode in runner.MODES:
            result, schedule = runner._run_mode(module, mode, spec.args("test"))
            yield mode, result, schedule


def run_modes(name: str) -> tuple[dict[str, runner.ModeResult], Schedule | None]:
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


OVERLAP = [
    ("movie", lambda s: _searches_overlap(s, 8)),
    ("hotpotqa", lambda s: _searches_overlap(s, 2)),
    ("mapreduce", lambda s: s.max_concurrency() == 16),
    ("vqa", lambda s: _all_overlap(s.by_name("ask_patch"))),
    ("outline", lambda s: s.max_concurrency() == 8),
    ("batch", lambda s: s.max_concurrency() >= 20),
    pytest.param("parallelqa", lambda s: _searches_overlap(s, 4), marks=()),
    pytest.param("tot", lambda s: s.max_concurrency() > 1, marks=()),
    pytest.param("selfconsistency", lambda s: s.max_concurrency() == 10,
                 marks=()),
]


@pytest.mark.parametrize(("name", "check"), OVERLAP)
def test_opportune_schedule_overlaps_independent_calls(name: str, check) -> None:  # type: ignore[no-untyped-def]
    results, schedule = run_modes(name)
    assert results["opportune"].error is None, results["opportune"].error
    assert schedule is not None
    assert check(schedule), schedule.summary()


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
