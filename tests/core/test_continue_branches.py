"""Schedule tests of loops whose guard ends with ``continue`` (compiler/continues.py): the
calls of consecutive iterations overlap, read from the recorded trace, and the result, the
output and the calls made are plain Python's. Calls expected to overlap are armed with
:func:`core.overlap.overlapping`; nothing here measures time."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

import pytest

import opportune
from core.overlap import calls_to, meet, overlapping
from opportune import Schedule

pytestmark = pytest.mark.timeout(60)

DELAY = 0.03


@opportune.external
def ext_classify(q: str) -> str:
    meet("ext_classify", q)
    time.sleep(DELAY)
    if q.startswith("bad"):
        raise ValueError(f"cannot classify {q}")
    return "other" if q.startswith("x") else "question"


@opportune.external
def ext_grade(q: str) -> int:
    meet("ext_grade", q)
    time.sleep(DELAY)
    return len(q)


def _filter(qs: list[str]) -> list[str]:
    hits = []
    for q in qs:
        kind = ext_classify(q)
        if kind == "other":
            continue
        print(q, kind)
        hits.append(q)
    return hits


def _guards(qs: list[str]) -> dict[str, int]:
    grades = {}
    for q in qs:
        if ext_classify(q) != "question":
            continue
        g = ext_grade(q)
        if g > 3:
            continue
        grades[q] = g
    return grades


def _stops(qs: list[str]) -> list[str]:
    hits = []
    for q in qs:
        kind = ext_classify(q)
        if kind == "other":
            continue
        if q == "end":
            break
        hits.append(q)
    return hits


def _run(fn: Callable[..., Any], *args: Any, overlap: tuple[frozenset, ...],
         capsys: pytest.CaptureFixture[str]) -> tuple[Any, Schedule]:
    """Run plainly and under opportune, the calls of ``overlap`` armed to prove they run at the
    same time; the results and the output must be equal."""
    expected = fn(*args)
    plain_out = capsys.readouterr().out
    with overlapping(*overlap):
        got = opportune.run(fn, *args)
    assert got == expected
    assert capsys.readouterr().out == plain_out
    return got, opportune.last_schedule()


def _all_overlap(schedule: Schedule, name: str, count: int) -> None:
    calls = sorted(schedule.by_name(name), key=lambda c: c.call_id)
    assert len(calls) == count
    for i, a in enumerate(calls):
        for b in calls[i + 1:]:
            assert a.overlaps(b), f"#{a.call_id} and #{b.call_id} did not overlap"


def test_a_filter_loop_overlaps_every_iteration(capsys: pytest.CaptureFixture[str]) -> None:
    qs = ["a", "xb", "c", "xd"]
    got, schedule = _run(_filter, qs, overlap=(calls_to("ext_classify", *qs),), capsys=capsys)
    assert got == ["a", "c"]
    _all_overlap(schedule, "ext_classify", 4)


def test_guards_in_a_row_overlap(capsys: pytest.CaptureFixture[str]) -> None:
    """Every first guard's call overlaps; the second guard's call is asked only for the
    items the first let through. (Those run one arm after another: a deferred ``if`` nested
    in the arm of one that changes the function's objects does not overlap its siblings'
    calls, as with the same code written with ``else``.)"""
    qs = ["ab", "xb", "abcde", "cd"]
    got, schedule = _run(_guards, qs, overlap=(calls_to("ext_classify", *qs),), capsys=capsys)
    assert got == {"ab": 2, "cd": 2}
    _all_overlap(schedule, "ext_classify", 4)
    assert len(schedule.by_name("ext_grade")) == 3


def test_a_failing_guard_call_is_raised_where_plain_python_raises(
        capsys: pytest.CaptureFixture[str]) -> None:
    qs = ["a", "xb", "bad", "c"]
    with pytest.raises(ValueError) as plain:
        _filter(qs)
    plain_out = capsys.readouterr().out
    with pytest.raises(ValueError) as ours:
        opportune.run(_filter, qs)
    assert ours.value.args == plain.value.args
    assert capsys.readouterr().out == plain_out == "a question\n"


def test_a_loop_that_breaks_still_waits_at_its_guard(capsys: pytest.CaptureFixture[str]) -> None:
    """``break`` in the rest: the guard is left as written (the rest would not be deferred),
    so each iteration's call is made after the previous one's answer, as plain Python makes
    them: the calls do not overlap and none is made past the ``break``."""
    qs = ["a", "xb", "end", "c"]
    expected = _stops(qs)
    capsys.readouterr()
    got = opportune.run(_stops, qs)
    assert got == expected == ["a"]
    calls = sorted(opportune.last_schedule().by_name("ext_classify"), key=lambda c: c.call_id)
    assert len(calls) == 3
    for a, b in itertools.pairwise(calls):
        assert not a.overlaps(b)
