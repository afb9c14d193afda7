"""Speculative calls (``@external(speculative=True)``), read from the recorded trace.

A read that comes after an undecided branch arm runs early (a speculative read), but a call
built from its result waits for the arm; a speculative external is made at once on the read's
first result instead, and kept only if that result is confirmed. Each program's result is
compared with a plain call of the same function, and the calls a test expects to overlap are
armed with :func:`core.overlap.overlapping` (see tests/core/overlap.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

import opportune
from core.overlap import calls_to, meet, overlapping
from opportune import CallRecord, Schedule

pytestmark = pytest.mark.timeout(60)

DELAY = 0.03

_ROWS: list[str] = []
_lock = threading.Lock()
_prompts: list[str] = []  # every prompt the speculative external was called with, in order


def _store(row: str) -> None:
    _ROWS.append(row)


@opportune.external
def decide(word: str) -> int:
    meet("decide", word)
    time.sleep(DELAY)
    return len(word)


@opportune.external(writes=("rows",))
def add_row(row: str) -> str:
    time.sleep(DELAY)
    _store(row)
    return f"added {row}"


@opportune.external(writes=("rows",))
def touch_rows(row: str) -> str:
    time.sleep(DELAY)
    return f"touched {row}"


@opportune.external(reads=("rows",))
def list_rows() -> list[str]:
    time.sleep(DELAY)
    return list(_ROWS)


def _answer(prompt: str) -> str:
    with _lock:
        _prompts.append(prompt)
    meet("ask", prompt)
    time.sleep(DELAY)
    return f"<{prompt}>"


@opportune.external(speculative=True)
def ask(prompt: str) -> str:
    return _answer(prompt)


@opportune.external
def ask_plainly(prompt: str) -> str:
    return _answer(prompt)


def _prompt(rows: Any) -> str:
    return "rows: " + str(rows) + f" ({len(rows)})"


def arm_then_question(word: str, asker: Callable[[str], str] = ask) -> tuple[str, str | None]:
    added = add_row("new") if decide(word) > 3 else None
    rows = list_rows()
    return asker("rows: " + str(rows) + f" ({len(rows)})"), added


def arm_touches_then_question(word: str) -> tuple[str, str | None]:
    touched = touch_rows("x") if decide(word) > 3 else None
    rows = list_rows()
    return ask("rows: " + str(rows) + f" ({len(rows)})"), touched


def _run_both(fn: Callable[..., Any], *args: Any, overlap: frozenset[Any] | None = None
              ) -> tuple[Any, Schedule, list[str]]:
    """Plain Python, then opportune on the same starting rows; the results must agree.
    Returns the schedule and the prompts the external got under opportune."""
    _ROWS[:] = ["a"]
    expected = fn(*args)
    _ROWS[:] = ["a"]
    _prompts.clear()
    if overlap is None:
        got = opportune.run(fn, *args)
    else:
        with overlapping(overlap):
            got = opportune.run(fn, *args)
    assert got == expected
    with _lock:
        prompts = list(_prompts)
    return got, opportune.last_schedule(), prompts


def _one(schedule: Schedule, name: str) -> CallRecord:
    (record,) = schedule.by_name(name)
    assert record.ok, record.error
    return record


def test_call_on_a_confirmed_read_overlaps_the_arms_condition_and_is_kept() -> None:
    prompt = _prompt(["a"])
    _, schedule, prompts = _run_both(arm_then_question, "no", overlap=(
        calls_to("decide", "no") | calls_to("ask", prompt)))
    condition, read, question = (_one(schedule, n) for n in ("decide", "list_rows", "ask"))
    assert read.ran_past and not read.redone_after
    assert question.overlaps(condition), "the question waited for the arm's condition"
    assert question.tentative_on == (read.call_id,)
    assert question.tentative_kept is True and question.first_attempt is None
    assert prompts == [prompt]  # made once
    assert (f"speculative call: call {question.call_id} ask was made on the tentative result "
            f"of read {read.call_id}; it was confirmed, so the answer was kept"
            ) in schedule.explain()


def test_call_on_a_refuted_read_is_discarded_and_made_again_on_the_final_arguments() -> None:
    tentative, final = _prompt(["a"]), _prompt(["a", "new"])
    result, schedule, prompts = _run_both(arm_then_question, "yes!", overlap=(
        calls_to("decide", "yes!") | calls_to("ask", tentative)))
    assert result == (f"<{final}>", "added new")
    condition, write, read = (_one(schedule, n) for n in ("decide", "add_row", "list_rows"))
    question = _one(schedule, "ask")
    assert read.redone_after == read.ran_past
    assert question.tentative_on == (read.call_id,) and question.tentative_kept is False
    assert question.first_attempt is not None
    assert question.first_attempt[0] < condition.finished  # the discarded attempt ran early
    assert prompts == [tentative, final]
    assert question.started >= write.finished  # made again where plain Python made it
    assert question.started >= read.finished
    assert "so the answer was discarded and the call made again" in schedule.explain()


def test_read_made_again_with_an_equal_result_keeps_the_answer() -> None:
    prompt = _prompt(["a"])
    _, schedule, prompts = _run_both(arm_touches_then_question, "yes!", overlap=(
        calls_to("decide", "yes!") | calls_to("ask", prompt)))
    read, question = _one(schedule, "list_rows"), _one(schedule, "ask")
    assert read.redone_after, "the arm wrote, so the read was made again"
    assert question.tentative_kept is True
    assert prompts == [prompt]  # the equal result confirmed the answer: asked once


def test_without_the_option_nothing_is_made_on_a_tentative_result() -> None:
    _, schedule, prompts = _run_both(arm_then_question, "no", ask_plainly)
    condition, read = _one(schedule, "decide"), _one(schedule, "list_rows")
    question = _one(schedule, "ask_plainly")
    assert read.ran_past  # the read itself still runs early
    assert question.started >= condition.finished  # the question waits for the arm
    assert question.tentative_on == () and question.tentative_kept is None
    assert prompts == [_prompt(["a"])]
    assert "speculative call" not in schedule.explain()


class _Row:
    """A program's own class: its ``__eq__`` is the program's code, never run by the runtime."""

    compared = 0

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        _Row.compared += 1
        return isinstance(other, _Row) and other.name == self.name

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"_Row({self.name!r})"


@opportune.external(reads=("rows",))
def list_row_objects() -> list[_Row]:
    time.sleep(DELAY)
    return [_Row(r) for r in _ROWS]


def objects_then_question(word: str) -> str:
    touch_rows("x") if decide(word) > 3 else None
    rows = list_row_objects()
    return ask("objects: " + str(rows))


def test_a_read_made_again_is_judged_by_the_arguments_not_by_its_objects() -> None:
    _Row.compared = 0
    prompt = "objects: [_Row('a')]"
    _, schedule, prompts = _run_both(objects_then_question, "yes!", overlap=(
        calls_to("decide", "yes!") | calls_to("ask", prompt)))
    read, question = _one(schedule, "list_row_objects"), _one(schedule, "ask")
    assert read.redone_after, "the arm wrote, so the read was made again"
    assert _Row.compared == 0  # the program's __eq__ never ran
    # the final prompt is the text the question was asked with: the answer is kept
    assert question.tentative_on and question.tentative_kept is True
    assert prompts == [prompt]


def _update_rows_in_place() -> None:
    for row in _SHARED:
        row["status"] = "paid"


_SHARED: list[dict[str, str]] = []


@opportune.external(reads=("shared",))
def shared_rows() -> list[dict[str, str]]:
    time.sleep(DELAY)
    return _SHARED  # the store's own objects, as some tools return them


@opportune.external(writes=("shared",), changes_read_results=True)
def mark_paid() -> str:
    time.sleep(DELAY)
    _update_rows_in_place()
    return "marked"


def shared_then_question(word: str) -> tuple[str, str | None]:
    marked = mark_paid() if decide(word) > 3 else None
    rows = shared_rows()
    return ask("status: " + str(rows)), marked


def test_a_read_whose_objects_the_arm_changed_in_place_is_asked_again() -> None:
    before, after = "status: [{'status': 'due'}]", "status: [{'status': 'paid'}]"
    _SHARED[:] = [{"status": "due"}]
    expected = shared_then_question("yes!")
    _SHARED[:] = [{"status": "due"}]
    _prompts.clear()
    with overlapping(calls_to("decide", "yes!") | calls_to("ask", before)):
        got = opportune.run(shared_then_question, "yes!")
    assert got == expected == (f"<{after}>", "marked")
    question = _one(opportune.last_schedule(), "ask")
    # the read made again returns the same (changed) objects, equal to its first result now:
    # only the arguments show that the early question was asked on what they held before
    assert question.tentative_kept is False
    assert _prompts == [before, after]


@opportune.external(speculative=True)
def ask_aloud(prompt: str) -> str:
    print("asking:", prompt)
    meet("ask_aloud", prompt)
    time.sleep(DELAY)
    return prompt.upper()


def printing_question(word: str) -> str:
    add_row("new") if decide(word) > 3 else None
    rows = list_rows()
    answer = ask_aloud("rows " + str(rows))
    print("answer:", answer)
    return answer


@pytest.mark.parametrize("word", ["no", "yes!"])
def test_output_of_a_speculative_call_is_written_once_in_program_order(
        word: str, capsys: pytest.CaptureFixture[str]) -> None:
    _ROWS[:] = ["a"]
    expected = printing_question(word)
    plain = capsys.readouterr().out
    _ROWS[:] = ["a"]
    with overlapping(calls_to("decide", word) | calls_to("ask_aloud", "rows ['a']")):
        assert opportune.run(printing_question, word) == expected
    assert capsys.readouterr().out == plain
    (question,) = opportune.last_schedule().by_name("ask_aloud")
    assert question.tentative_kept is (word == "no")  # "yes!" adds a row: made again


def test_speculative_is_only_for_pure_externals() -> None:
    with pytest.raises(ValueError, match="speculative=True"):
        opportune.external(reads=("rows",), speculative=True)(lambda: None)
    with pytest.raises(ValueError, match="speculative=True"):
        opportune.external(writes=("rows",), speculative=True)(lambda: None)


def test_only_arguments_that_cannot_change_in_place_are_compared() -> None:
    from opportune.runtime.tentative import same_arguments

    assert same_arguments((("q", 1, (2.0, None), str), {"k": "v"}),
                          (("q", 1, (2.0, None), str), {"k": "v"}))
    assert not same_arguments((("q",), {}), (("r",), {}))
    assert not same_arguments((("q",), {"k": 1}), (("q",), {"k": 1, "j": 2}))
    row = {"status": "due"}
    assert not same_arguments(((row,), {}), ((row,), {}))  # the same dict may hold other text
    assert not same_arguments((([1],), {}), (([1],), {}))
    assert not same_arguments(((1,), {}), ((True,), {}))  # equal, yet not the same argument
