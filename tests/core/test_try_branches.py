"""Schedule tests of ``try`` statements turned into branches on a call's outcome
(compiler/tries.py, runtime/catching.py): the calls of consecutive iterations overlap, read
from the recorded trace, and the result, the exception and the calls made are plain Python's.
Calls expected to overlap are armed with :func:`core.overlap.overlapping`; nothing here
measures time."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

import opportune
from core.overlap import calls_to, meet, overlapping
from opportune import Schedule

pytestmark = pytest.mark.timeout(60)

DELAY = 0.03
SENT: list[str] = []


@opportune.external
def ext_ask(q: str) -> str:
    meet("ext_ask", q)
    time.sleep(DELAY)
    if q.startswith("bad"):
        raise ValueError(f"cannot answer {q}")
    if q.startswith("key"):
        raise KeyError(q)
    if q.startswith("prose"):
        return "not json"
    return json.dumps({"q": q})


@opportune.external(writes=("outbox",))
def ext_send(message: str) -> str:
    time.sleep(DELAY)
    SENT.append(message)
    return message


def _append_or_none(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        try:
            out.append(ext_ask(q))
        except ValueError:
            out.append(None)
    return out


def _error_text(qs: list[str]) -> list[str]:
    results = []
    for q in qs:
        try:
            r = ext_ask(q)
        except Exception as e:  # noqa: BLE001  # the shape under test
            r = f"error: {e}"
        results.append(r)
    return results


def _parsed(qs: list[str]) -> list[dict]:
    results = []
    for q in qs:
        try:
            data = json.loads(ext_ask(q))
        except json.JSONDecodeError:
            data = {}
        results.append(data)
    return results


def _consecutive(a: str, b: str, c: str) -> dict[str, object]:
    found = {}
    try:
        found["a"] = ext_ask(a)
    except ValueError as e:
        found["a"] = str(e)
    try:
        found["b"] = ext_ask(b)
    except ValueError:
        found["b"] = None
    try:
        found["c"] = ext_ask(c)
    except ValueError:
        found["c"] = None
    return found


def _returns_in_handler(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        try:
            out.append(ext_ask(q))
        except ValueError:
            return out
    return out


def _run(fn: Callable[..., Any], *args: Any, overlap: frozenset) -> tuple[Any, Schedule]:
    """Run under opportune, the calls of ``overlap`` armed to prove they run at the same time
    (a runtime that waited for one before issuing the next fails the test), and plainly; the
    results must be equal."""
    expected = fn(*args)
    with overlapping(overlap):
        got = opportune.run(fn, *args)
    assert got == expected
    return got, opportune.last_schedule()


def _all_overlap(schedule: Schedule, name: str, count: int) -> None:
    calls = sorted(schedule.by_name(name), key=lambda c: c.call_id)
    assert len(calls) == count
    for i, a in enumerate(calls):
        for b in calls[i + 1:]:
            assert a.overlaps(b), f"#{a.call_id} and #{b.call_id} did not overlap"


QS = ["a", "b", "bad", "d"]


def test_append_or_none_overlaps_every_iteration() -> None:
    got, schedule = _run(_append_or_none, QS, overlap=calls_to("ext_ask", *QS))
    assert got[2] is None
    _all_overlap(schedule, "ext_ask", 4)


def test_error_text_from_the_exception_overlaps() -> None:
    got, schedule = _run(_error_text, QS, overlap=calls_to("ext_ask", *QS))
    assert got[2] == "error: cannot answer bad"
    _all_overlap(schedule, "ext_ask", 4)


def test_json_loads_of_an_answer_overlaps() -> None:
    qs = ["a", "prose", "c", "d"]
    got, schedule = _run(_parsed, qs, overlap=calls_to("ext_ask", *qs))
    assert got[1] == {}
    _all_overlap(schedule, "ext_ask", 4)


def test_consecutive_try_statements_overlap() -> None:
    got, schedule = _run(_consecutive, "a", "bad", "c",
                         overlap=calls_to("ext_ask", "a", "bad", "c"))
    assert got["b"] is None
    _all_overlap(schedule, "ext_ask", 3)


def _uncaught_then_send(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        try:
            out.append(ext_ask(q))
        except ValueError:
            out.append(None)
        ext_send(q)
    return out


def test_a_failure_the_handler_does_not_catch_stops_where_plain_python_stops() -> None:
    """``key1`` raises KeyError, which ``except ValueError`` does not catch: the run raises it,
    and no send after it is made (writes wait for the earlier calls to succeed)."""
    qs = ["a", "bad", "key1", "c"]
    SENT.clear()
    with pytest.raises(KeyError) as plain:
        _uncaught_then_send(qs)
    plain_sent = list(SENT)
    SENT.clear()
    with pytest.raises(KeyError) as ours:
        opportune.run(_uncaught_then_send, qs)
    assert ours.value.args == plain.value.args
    assert SENT == plain_sent == ["a", "bad"]


_EXPLAINED = '''
def collect(qs):
    out = []
    for q in qs:
        try:
            out.append(ext_ask(q))
        except ValueError:
            out.append(None)
    return out


def leaves(qs):
    out = []
    for q in qs:
        try:
            out.append(ext_ask(q))
        except ValueError:
            return out
    return out


collected = collect(["a", "b", "bad", "d"])
left = leaves(["e", "bad", "f"])
'''


def test_explain_names_no_wait_in_a_converted_try_and_the_wait_in_one_that_leaves() -> None:
    """The converted ``try`` waits nowhere inside; one whose handler returns is not converted,
    and --explain still names the change to ``out`` waiting for the call inside the try."""
    namespace = opportune.run_source(_EXPLAINED, {"ext_ask": ext_ask}, explain=True)
    assert namespace["collected"] == _append_or_none(["a", "b", "bad", "d"])
    assert namespace["left"] == _returns_in_handler(["e", "bad", "f"])
    waits = opportune.last_schedule().waits
    inside = [w for w in waits if w.reason.startswith(("inside a try", "leaving a try"))]
    assert inside, [w.reason for w in waits]
    lines = [int(w.location.rsplit(":", 1)[1]) for w in inside]
    assert all(12 <= n <= 19 for n in lines), [(w.location, w.reason) for w in inside]
