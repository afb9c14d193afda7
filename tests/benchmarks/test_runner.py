"""The runner's readings of a recorded schedule: calls issued mid-stream and the ideal first
output, on schedules written out by hand and on one recorded from the outline app.

Nothing here asserts on wall-clock time: the recorded run is checked against orderings that
hold whatever the machine's speed (a call reads a line before it is issued, output waits for
the first token it prints).
"""

from __future__ import annotations

import pytest

from benchmarks import runner
from benchmarks.apps import load, spec_of
from opportune import CallRecord, Schedule
from opportune.sim import SimServer


def _call(call_id: int, deps: tuple[int, ...], issued: float, started: float, finished: float,
          *, first_token: float | None = None,
          read_from: tuple[int, ...] = ()) -> CallRecord:
    return CallRecord(call_id=call_id, name="llm.complete", issued=issued, deps=deps,
                      started=started, finished=finished, ok=True, first_token=first_token,
                      read_from=read_from)


def _outline(finished: float = 1.0) -> CallRecord:
    """A streamed outline: first token at 0.1 s."""
    return _call(1, (), 0.0, 0.0, finished, first_token=0.1)


MID_STREAM = [
    pytest.param([_outline(), _call(4, (), 0.2, 0.2, 0.9, read_from=(1,))], 1,
                 id="issued on a line of the outline while it was still generating"),
    pytest.param([_outline(), _call(4, (), 1.2, 1.2, 1.9, read_from=(1,))], 0,
                 id="issued after the outline it read had ended"),
    pytest.param([_call(1, (), 0.0, 0.0, 1.0), _call(4, (), 0.2, 0.2, 0.9, read_from=(1,))], 0,
                 id="the call it read from was not streamed"),
    pytest.param([_outline(), _call(4, (1,), 0.2, 0.2, 0.9)], 1,
                 id="started on a dependency still generating (an early startswith)"),
    pytest.param([_outline(), _call(4, (1,), 0.1, 1.0, 1.5)], 0,
                 id="issued early with a pending argument, started once it was whole"),
    pytest.param([_outline(), _call(4, (), 0.0, 0.0, 1.0)], 0,
                 id="independent calls overlapping is not streaming"),
    pytest.param([_outline(), _call(2, (), 0.0, 0.0, 1.0, first_token=0.1),
                  _call(4, (2,), 0.5, 0.5, 2.0, read_from=(1,))], 1,
                 id="counted once however many streams it read"),
]


@pytest.mark.parametrize(("calls", "expected"), MID_STREAM)
def test_issued_mid_stream_counts_calls_issued_on_a_prefix(
        calls: list[CallRecord], expected: int) -> None:
    assert runner.issued_mid_stream(Schedule(calls=calls)) == expected


def _outline_run(first_output: float, seq: int, **section: float) -> Schedule:
    """The outline app's shape: outline #1 streamed, section #4 issued on its first line at
    0.15 s, printed from seq 6 on; section #7 comes after that print in program order."""
    calls = [_outline(),
             _call(4, (), 0.15, 0.15, 0.9, first_token=section.get("first_token", 0.25),
                   read_from=(1,)),
             _call(7, (), 0.2, 0.2, 0.95, first_token=0.3, read_from=(1,))]
    return Schedule(calls=calls, first_output=first_output, first_output_seq=seq)


IDEAL_FIRST = [
    # the outline's first line (0.15 s in) plus the section's time to first token (0.1 s)
    pytest.param(_outline_run(0.26, 6), 0.25, id="streamed: first line + section's first token"),
    # the same answers waited for whole: the outline (1.0 s), then the whole section (0.75 s)
    pytest.param(Schedule(calls=[_call(1, (), 0.0, 0.0, 1.0), _call(4, (1,), 1.0, 1.0, 1.75),
                                 _call(7, (1,), 1.0, 1.0, 1.8)],
                          first_output=1.75, first_output_seq=6), 1.75,
                 id="not streamed: outline and first section whole"),
    pytest.param(Schedule(calls=[_outline()], first_output=0.0, first_output_seq=1), 0.0,
                 id="output before any call"),
    pytest.param(Schedule(calls=[_outline()]), None, id="no output"),
]


@pytest.mark.parametrize(("schedule", "expected"), IDEAL_FIRST)
def test_ideal_first_output_follows_the_calls_before_it_in_program_order(
        schedule: Schedule, expected: float | None) -> None:
    ideal = runner.ideal_first_output(schedule)
    if expected is None:
        assert ideal is None
    else:
        assert ideal == pytest.approx(expected)


def test_a_streamed_answer_nobody_read_is_needed_whole_before_the_output() -> None:
    """A streamed call before the output that the program never went on with holds the output
    until its end (the runtime's rule: it could still fail before the program used it)."""
    unused = _call(1, (), 0.0, 0.0, 1.0, first_token=0.1)
    schedule = Schedule(calls=[unused], first_output=1.0, first_output_seq=2)
    assert runner.ideal_first_output(schedule) == pytest.approx(1.0)


def test_recorded_outline_run_records_what_each_section_read() -> None:
    """The outline app under streaming: each section call records the outline it read a line
    of, the mid-stream count agrees with those records, and the ideal first output lies between
    the two times to first token it is made of and the first output measured."""
    module = load("outline")
    spec = spec_of(module)
    with SimServer(spec.sim_config(scale=1.0)) as sim, runner.endpoint_env(sim.base_url, 1.0):
        result, schedule = runner._run_mode(module, "opportune+stream", spec.args("test"))
    assert result.error is None, result.error
    assert schedule is not None
    outline, *sections = sorted(schedule.executed, key=lambda c: c.call_id)
    assert sections and all(c.read_from == (outline.call_id,) for c in sections)
    assert outline.finished is not None and outline.first_token is not None
    on_prefix = [c for c in sections if c.issued < outline.finished]
    assert runner.issued_mid_stream(schedule) == len(on_prefix)

    first = sections[0]
    assert schedule.first_output_seq is not None and schedule.first_output is not None
    assert first.call_id < schedule.first_output_seq < sections[1].call_id
    ideal = runner.ideal_first_output(schedule)
    assert ideal is not None and outline.started is not None
    assert first.first_token is not None and first.started is not None
    assert ideal >= (outline.first_token - outline.started) + (first.first_token - first.started)
    assert ideal <= schedule.first_output
