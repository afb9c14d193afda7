"""Schedule tests of module-level ``try`` statements turned into branches on a call's outcome
(compiler/tries.desugar_module): the code of a script or a code action run by ``run_source``;
and of ``try`` statements with several ``except`` clauses, there and in functions.
The calls of consecutive iterations overlap, read from the recorded trace, and the namespace,
the exception and the calls made are plain Python's. Calls expected to overlap are armed with
:func:`core.overlap.overlapping`; nothing here measures time."""

from __future__ import annotations

import textwrap
import time
from typing import Any

import pytest

import opportune
from core.overlap import calls_to, meet, overlapping
from opportune import Schedule

pytestmark = pytest.mark.timeout(60)

DELAY = 0.03
SENT: list[str] = []


@opportune.external
def mod_ask(q: str) -> str:
    meet("mod_ask", q)
    time.sleep(DELAY)
    if q.startswith("bad"):
        raise ValueError(f"cannot answer {q}")
    if q.startswith("key"):
        raise KeyError(q)
    return q.upper()


@opportune.external(writes=("outbox",))
def mod_send(message: str) -> str:
    time.sleep(DELAY)
    SENT.append(message)
    return message


def _namespace() -> dict[str, Any]:
    return {"ask": mod_ask, "send": mod_send}


def _plain(source: str) -> dict[str, Any]:
    namespace = _namespace()
    exec(compile(source, "<plain>", "exec"), namespace)
    return namespace


def _run(source: str, names: tuple[str, ...], overlap: frozenset) -> Schedule:
    """Run ``source`` plainly and under opportune (the calls of ``overlap`` armed: a runtime
    that waited for one before issuing the next fails the test); ``names`` must end equal."""
    source = textwrap.dedent(source)
    expected = _plain(source)
    with overlapping(overlap):
        got = opportune.run_source(source, _namespace())
    for name in names:
        assert got[name] == expected[name], name
    assert not [n for n in got if n.startswith("__opp")]
    return opportune.last_schedule()


def _all_overlap(schedule: Schedule, name: str, count: int) -> None:
    calls = sorted(schedule.by_name(name), key=lambda c: c.call_id)
    assert len(calls) == count
    for i, a in enumerate(calls):
        for b in calls[i + 1:]:
            assert a.overlaps(b), f"#{a.call_id} and #{b.call_id} did not overlap"


QS = ["a", "b", "bad", "d"]


def test_module_level_append_or_none_overlaps_every_iteration() -> None:
    schedule = _run("""
        out = []
        for q in ["a", "b", "bad", "d"]:
            try:
                out.append(ask(q))
            except ValueError:
                out.append(None)
        """, ("out",), overlap=calls_to("mod_ask", *QS))
    _all_overlap(schedule, "mod_ask", 4)


def test_module_level_error_text_overlaps() -> None:
    schedule = _run("""
        results = []
        for q in ["a", "b", "bad", "d"]:
            try:
                r = ask(q)
            except Exception as e:
                r = f"error: {e}"
            results.append(r)
        """, ("results",), overlap=calls_to("mod_ask", *QS))
    _all_overlap(schedule, "mod_ask", 4)


def test_module_level_consecutive_statements_overlap() -> None:
    schedule = _run("""
        found = {}
        try:
            found["a"] = ask("a")
        except ValueError as e:
            found["a"] = str(e)
        try:
            found["b"] = ask("bad")
        except ValueError:
            found["b"] = None
        try:
            found["c"] = ask("c")
        except ValueError:
            found["c"] = None
        """, ("found",), overlap=calls_to("mod_ask", "a", "bad", "c"))
    _all_overlap(schedule, "mod_ask", 3)


def test_module_level_loop_compiled_in_stages_overlaps(monkeypatch: pytest.MonkeyPatch) -> None:
    """A program long enough to be compiled in stages: the loop stands in a later stage."""
    monkeypatch.setenv("OPPORTUNE_STAGE_LINES", "10")
    monkeypatch.setenv("OPPORTUNE_COMPILE_CACHE", "0")
    filler = "\n".join(f"n{i} = {i}" for i in range(12))
    schedule = _run(f"""
first = ask("first")
{filler}
out = []
for q in ["a", "b", "bad", "d"]:
    try:
        out.append(ask(q))
    except ValueError:
        out.append(None)
""", ("first", "out"), overlap=calls_to("mod_ask", *QS))
    calls = sorted(schedule.by_name("mod_ask"), key=lambda c: c.call_id)
    assert len(calls) == 5
    for i, a in enumerate(calls[1:], 1):  # calls[0]: ask("first"), before the loop
        for b in calls[i + 1:]:
            assert a.overlaps(b), f"#{a.call_id} and #{b.call_id} did not overlap"


def test_module_level_failure_not_caught_stops_where_plain_python_stops() -> None:
    """``key1`` raises KeyError, which ``except ValueError`` does not catch: run_source raises
    it, and no send after it is made."""
    source = textwrap.dedent("""
        out = []
        for q in ["a", "bad", "key1", "c"]:
            try:
                out.append(ask(q))
            except ValueError:
                out.append(None)
            send(q)
        """)
    SENT.clear()
    with pytest.raises(KeyError) as plain:
        _plain(source)
    plain_sent = list(SENT)
    SENT.clear()
    with pytest.raises(KeyError) as ours:
        opportune.run_source(source, _namespace())
    assert ours.value.args == plain.value.args
    assert SENT == plain_sent == ["a", "bad"]


def test_module_level_try_with_globals_stays_as_written() -> None:
    """Code that reaches the module's namespace other than by name (``globals()``) keeps its
    ``try`` statements as written: the calls run one after another, as before."""
    source = textwrap.dedent("""
        out = []
        for q in ["a", "bad"]:
            try:
                out.append(ask(q))
            except ValueError:
                out.append(None)
        keys = sorted(k for k in globals() if k == "out")
        """)
    expected = _plain(source)
    got = opportune.run_source(source, _namespace())
    assert got["out"] == expected["out"] and got["keys"] == ["out"]
    a, b = sorted(opportune.last_schedule().by_name("mod_ask"), key=lambda c: c.call_id)
    assert not a.overlaps(b)


def test_several_clauses_at_module_level_overlap() -> None:
    """Two ``except`` clauses: the second catches ``bad``'s ValueError, the first ``key1``'s
    KeyError; every iteration's call overlaps the others."""
    qs = ["a", "key1", "bad", "d"]
    schedule = _run("""
        out = []
        for q in ["a", "key1", "bad", "d"]:
            try:
                out.append(ask(q))
            except KeyError as e:
                out.append(f"key {e}")
            except ValueError:
                out.append(None)
        """, ("out",), overlap=calls_to("mod_ask", *qs))
    _all_overlap(schedule, "mod_ask", 4)


def _clauses(qs: list[str]) -> list[str]:
    results = []
    for q in qs:
        try:
            r = mod_ask(q)
        except KeyError:
            r = "key"
        except ValueError as e:
            r = f"value: {e}"
        results.append(r)
    return results


def test_several_clauses_in_a_function_overlap() -> None:
    qs = ["a", "bad", "key2", "d"]
    expected = _clauses(qs)
    with overlapping(calls_to("mod_ask", *qs)):
        got = opportune.run(_clauses, qs)
    assert got == expected == ["A", "value: cannot answer bad", "key", "D"]
    _all_overlap(opportune.last_schedule(), "mod_ask", 4)


def test_a_failure_no_clause_names_stops_where_plain_python_stops() -> None:
    source = textwrap.dedent("""
        out = []
        for q in ["a", "bad", "key3", "c"]:
            try:
                out.append(ask(q))
            except ValueError:
                out.append(None)
            except TypeError:
                out.append("type")
            send(q)
        """)
    SENT.clear()
    with pytest.raises(KeyError) as plain:
        _plain(source)
    plain_sent = list(SENT)
    SENT.clear()
    with pytest.raises(KeyError) as ours:
        opportune.run_source(source, _namespace())
    assert ours.value.args == plain.value.args
    assert SENT == plain_sent == ["a", "bad"]
