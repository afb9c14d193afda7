"""Deferred ``if`` arms that change a function's own lists, dicts and sets, or print: the loop
goes on to the next answer while the arm waits for its own (compiler/arm_objects.py,
runtime/arm_objects.py). Overlap is proved with the barrier helpers, never with timings."""

from __future__ import annotations

import io
import sys
import time

import pytest

import opportune
from core.overlap import calls_to, meet, overlapping

pytestmark = pytest.mark.timeout(60)

WORDS = ["aa", "bbb", "c", "dddd", "ee"]


@opportune.external
def verdict(text: str) -> str:
    meet("verdict", text)
    time.sleep(0.02)
    return "yes" if len(text) % 2 == 0 else "no"


@opportune.external
def shown(value: object) -> str:
    time.sleep(0.01)
    return repr(value)


def collect() -> list[str]:
    hits = []
    for w in WORDS:
        if verdict(w) == "yes":
            hits.append(w)
    return hits


def store_and_print() -> tuple[dict[str, str], set[int]]:
    found = {}
    sizes = set()
    for w in WORDS:
        a = verdict(w)
        if a == "yes":
            print("found", w)
            found[w] = a
            sizes.add(len(w))
        else:
            print("skipped", w)
    print("done", len(found))
    return found, sizes


def test_a_collect_loop_issues_every_call_before_any_answer_is_known() -> None:
    expected = collect()
    with overlapping(calls_to("verdict", *WORDS)):
        got = opportune.run(collect)
    assert got == expected == ["aa", "dddd", "ee"]


def test_arms_that_store_and_print_overlap_and_keep_the_output_in_order(
        capsys: pytest.CaptureFixture[str]) -> None:
    expected = store_and_print()
    plain = capsys.readouterr().out
    with overlapping(calls_to("verdict", *WORDS)):
        got = opportune.run(store_and_print)
    assert got == expected
    assert capsys.readouterr().out == plain
    assert plain.splitlines()[-1] == "done 3"


def tool_sees_each_state() -> list[str]:
    hits = []
    seen = []
    for w in WORDS:
        if verdict(w) == "yes":
            hits.append(w)
        seen.append(shown(hits))
    return seen


def test_a_tool_given_the_list_gets_it_as_plain_python_has_it_then() -> None:
    got = opportune.run(tool_sees_each_state)
    assert got == tool_sees_each_state()
    assert got[-1] == "['aa', 'dddd', 'ee']"


_ALIASED = '''
def main():
    hits = []
    alias = hits
    for w in words:
        if verdict(w) == "yes":
            hits.append(w)
        sizes.append(len(alias))
    return hits

sizes = []
result = main()
'''


def test_a_list_with_a_second_name_keeps_waiting_and_says_why() -> None:
    namespace = opportune.run_source(_ALIASED, {"verdict": verdict, "words": WORDS},
                                     explain=True)
    assert namespace["result"] == ["aa", "dddd", "ee"]
    assert namespace["sizes"] == [1, 1, 1, 2, 3]
    reasons = [w.reason for w in opportune.last_schedule().waits]
    assert any("'hits' was handed on" in r for r in reasons), reasons


_FAILS = '''
def main():
    hits = []
    for i, w in enumerate(words):
        if verdict(w) == "yes":
            print("keep", w)
            hits.append(10 // (i - 3))
        print("next", w)
    print("never")
    return hits

try:
    main()
except ZeroDivisionError as e:
    print("caught", e)
'''


def test_an_arm_that_raises_stops_the_output_where_plain_python_stops(
        capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(_FAILS, "<plain>", "exec"), {"verdict": verdict, "words": WORDS})  # noqa: S102 - the plain run
    plain = capsys.readouterr().out
    opportune.run_source(_FAILS, {"verdict": verdict, "words": WORDS})
    assert capsys.readouterr().out == plain
    assert plain.splitlines()[-1] == "caught integer division or modulo by zero"
    assert "never" not in plain


@opportune.external(writes=("outbox",))
def deliver(text: str) -> str:
    time.sleep(0.01)
    return f"sent {text}"


def deliver_until_failure() -> list[str]:
    sent = []
    for i, w in enumerate(WORDS):
        if verdict(w) == "yes":
            sent.append(deliver(w))
            sent.append(str(10 // (i - 3)))
    return sent


def test_a_write_after_an_arm_that_failed_is_never_made() -> None:
    """Plain Python stops at the arm for 'dddd'; the arm for 'ee', deferred meanwhile, must not
    deliver anything."""
    with pytest.raises(ZeroDivisionError):
        deliver_until_failure()
    with pytest.raises(ZeroDivisionError):
        opportune.run(deliver_until_failure)
    made = [c for c in opportune.last_schedule().by_name("deliver") if c.started is not None]
    assert len(made) == 2, made  # 'aa' and 'dddd', as plain Python made them


_FAILS_BEFORE_TRY = '''
def main():
    hits = []
    for i, w in enumerate(words):
        if verdict(w) == "yes":
            hits.append(10 // (i - 3))
    try:
        print(hits)
    except ZeroDivisionError:
        print("caught inside, which plain Python never does")

main()
'''


def test_an_arm_failure_met_inside_a_later_try_is_not_caught_there() -> None:
    with pytest.raises(ZeroDivisionError):
        opportune.run_source(_FAILS_BEFORE_TRY, {"verdict": verdict, "words": WORDS})


def test_handed_on_objects_are_not_kept_once_the_program_drops_them() -> None:
    """A function that returns its list on every call hands each one on: the table forgets
    those nothing else holds, and keeps the others (a new list at a freed address must not be
    taken for a handed-on one, and one still held must stay handed on)."""
    from opportune.runtime.arm_objects import SharedObjects

    table = SharedObjects(None)  # type: ignore[arg-type]  # only its bookkeeping is used
    held = []
    for i in range(5000):
        obj = [i]
        table.hand_on(obj)
        if i % 1000 == 0:
            held.append(obj)
    assert all(id(obj) in table.handed_on for obj in held)
    assert len(table.handed_on) < 2100


def report_to_stderr() -> None:
    for w in WORDS:
        if verdict(w) == "yes":
            print("found", w, file=sys.stderr)
        else:
            print("skipped", w)


def report_while_swapped() -> tuple[str, str]:
    saved_out, saved_err = sys.stdout, sys.stderr
    sys.stdout = out = io.StringIO()
    sys.stderr = err = io.StringIO()
    report_to_stderr()
    sys.stdout, sys.stderr = saved_out, saved_err
    return out.getvalue(), err.getvalue()


def test_an_arm_prints_to_the_streams_the_program_had_where_the_if_stands(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The arms run after the program put the streams back: their prints still go to the
    streams of their place, as plain Python's did (p601)."""
    expected = report_while_swapped()
    got = opportune.run(report_while_swapped)
    assert got == expected
    assert "found aa" in expected[1] and "skipped c" in expected[0]
    assert capsys.readouterr() == ("", "")
