"""Schedule tests: methods of built-in types called on pending values do not hold back later
calls (docs/design.md, *Methods on pending values*).

Each program runs in-process with :func:`opportune.run` and its result is compared with a plain
call; the assertions are about the recorded schedule (which calls overlapped, which came after
which), never about how long anything took. Calls expected to overlap are armed to prove it
(tests/core/overlap.py).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any, TypedDict, TypeVar

import pytest

import opportune
from core.overlap import calls_to, meet
from core.test_schedule import assert_all_overlap, calls_of, run_both

pytestmark = pytest.mark.timeout(60)

DELAY = 0.05
T = TypeVar("T")


@dataclass(frozen=True)
class _Verdict:
    service: str
    is_reset: bool


class _Options(TypedDict, total=False):
    frozen: bool


class _Record:
    """The program's own class, with methods named like those of ``dict`` and ``str``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: list[str] = []

    def get(self, key: str) -> str:
        self.seen.append(key)
        return self.text

    def lower(self) -> str:
        self.seen.append("lower")
        return self.text.lower()


@opportune.external
def ext_llm(prompt: str) -> str:
    meet("ext_llm", prompt)
    time.sleep(DELAY)
    return f"<{prompt}>"


@opportune.external
def ext_addresses(names: list[str]) -> dict[str, str]:
    meet("ext_addresses", tuple(names))
    time.sleep(DELAY)
    return {n: f"{n} street" for n in names}


@opportune.external
def ext_ranking(k: int) -> list[int]:
    meet("ext_ranking", k)
    time.sleep(DELAY)
    return [3, 1, 4, 1, 5, 9, 2, 6][:k]


@opportune.external
def ext_ask(prompt: str, schema: type[T]) -> T:
    meet("ext_ask", prompt)
    time.sleep(DELAY)
    return schema(service=f"Tech {prompt} ", is_reset=prompt != "b")  # type: ignore[call-arg]


@opportune.external
def ext_record(text: str) -> _Record:
    meet("ext_record", text)
    time.sleep(DELAY)
    return _Record(text)


def dict_get_then_other_call() -> tuple[Any, ...]:
    book = ext_addresses(["ada", "bob"])
    where = book.get("ada")
    missing = book.get("zed", "none")
    names = book.keys()
    other = ext_llm("independent")
    return where, missing, sorted(names), other


def test_dict_get_on_a_pending_dict_does_not_hold_back_later_calls() -> None:
    _, schedule = run_both(dict_get_then_other_call, overlap=[
        calls_to("ext_addresses", ("ada", "bob")) | calls_to("ext_llm", "independent")])
    (book,) = calls_of(schedule, "ext_addresses")
    (other,) = calls_of(schedule, "ext_llm")
    assert book.overlaps(other), "the call after book.get(...) waited for the dict"


def list_index_then_other_call() -> tuple[Any, ...]:
    order = ext_ranking(8)
    where = order.index(5)
    ones = order.count(1)
    other = ext_llm("independent")
    return where, ones, other


def test_list_index_on_a_pending_list_does_not_hold_back_later_calls() -> None:
    _, schedule = run_both(list_index_then_other_call, overlap=[
        calls_to("ext_ranking", 8) | calls_to("ext_llm", "independent")])
    (ranking,) = calls_of(schedule, "ext_ranking")
    (other,) = calls_of(schedule, "ext_llm")
    assert ranking.overlaps(other)


def dict_get_then_change() -> tuple[Any, ...]:
    seen = []
    for i in range(5):
        table = ext_addresses(["ada", f"n{i}"])
        before = table.get("ada")
        table["ada"] = f"changed {i}"
        table.update({"zed": "z"})
        seen.append((before, table.get("ada"), table.get("zed")))
    return tuple(seen)


def test_a_change_after_a_deferred_read_is_not_seen_by_it() -> None:
    got, _ = run_both(dict_get_then_change)
    assert all(before == "ada street" for before, _, _ in got)


def first_match_on_str_fields() -> Any:
    found = None
    for name in ["a", "b", "c"]:
        verdict = ext_ask(name, _Verdict)
        hit = verdict.service.strip().lower().find("tech") != -1
        if verdict.is_reset and hit and found is None:
            found = name
    return found


def test_str_methods_on_fields_of_a_typed_answer_do_not_wait_for_each_answer() -> None:
    _, schedule = run_both(first_match_on_str_fields, overlap=[calls_to("ext_ask", "a", "b", "c")])
    asks = calls_of(schedule, "ext_ask")
    assert len(asks) == 3
    assert_all_overlap(asks)


def deferred_loop_with_dates_and_options() -> tuple[str, str]:
    prompts = ext_ranking(3)
    text = ""
    for p in prompts:
        answer = ext_llm(str(p))
        day = datetime.date(2024, 5, 10 + p).strftime("%d")
        options = _Options(frozen=True)
        text = text + day + answer + str(len(options))
    after = ext_llm("after the loop")
    return text, after


def test_date_methods_and_typed_dicts_in_a_deferred_loop_do_not_serialize_it() -> None:
    _, schedule = run_both(deferred_loop_with_dates_and_options, overlap=[
        calls_to("ext_llm", "3", "1", "4"),
        calls_to("ext_ranking", 3) | calls_to("ext_llm", "after the loop")])
    (prompts,) = calls_of(schedule, "ext_ranking")
    *in_loop, after = calls_of(schedule, "ext_llm")
    assert len(in_loop) == 3
    assert_all_overlap(in_loop)
    assert after.overlaps(prompts), "the call after the loop waited for its list"


def user_class_method_then_other_call() -> tuple[Any, ...]:
    record = ext_record("Hello")
    low = record.lower()
    value = record.get("k")
    other = ext_llm("after")
    return low, value, other, record.seen


def test_the_programs_own_method_runs_at_the_call() -> None:
    got, schedule = run_both(user_class_method_then_other_call)
    assert got[3] == ["lower", "k"]
    (record,) = calls_of(schedule, "ext_record")
    (other,) = calls_of(schedule, "ext_llm")
    assert record.finished is not None and other.started is not None
    assert other.started >= record.finished, "the program's own method did not run in order"


class _Client:
    """An external method whose answer is an instance of the class it is given."""

    @opportune.external
    def ask(self, prompt: str, schema: type[T]) -> T:
        meet("_Client.ask", prompt)
        time.sleep(DELAY)
        return schema(service=f"Tech {prompt}", is_reset=True)  # type: ignore[call-arg]


def first_match_through_a_method(client: _Client) -> Any:
    found = None
    for name in ["a", "b", "c"]:
        verdict = client.ask(name, schema=_Verdict)
        if verdict.service.lower().endswith(name) and found is None:
            found = name
    return found


def test_an_external_method_taking_the_schema_by_keyword_gives_a_typed_answer() -> None:
    _, schedule = run_both(first_match_through_a_method, _Client(),
                           overlap=[calls_to("_Client.ask", "a", "b", "c")])
    asks = calls_of(schedule, "_Client.ask")
    assert len(asks) == 3
    assert_all_overlap(asks)


def decided_if_reading_a_deferred_loop(mode: str) -> tuple[str, str]:
    text = ""
    for p in ext_ranking(3):
        text = text + ext_llm(str(p))
    section = "none"
    if mode == "summary":
        section = text.strip().upper()
    after = ext_llm("after")
    return section, after


def test_a_decided_if_reading_a_deferred_result_does_not_wait_for_it() -> None:
    """The condition is known at once, but the arm calls a method on what a deferred loop
    still computes: the arm runs deferred too, so the call after it does not wait, exactly as
    when the condition had still been pending."""
    _, schedule = run_both(decided_if_reading_a_deferred_loop, "summary", overlap=[
        calls_to("ext_ranking", 3) | calls_to("ext_llm", "after")])
    (ranking,) = calls_of(schedule, "ext_ranking")
    *in_loop, after = calls_of(schedule, "ext_llm")
    assert len(in_loop) == 3
    assert after.overlaps(ranking), "the call after the if waited for the deferred loop"


def dumps_with_a_list_changed_after() -> list[Any]:
    import json

    seen: list[str] = []
    out = []
    for p in ("a", "b", "c"):
        out.append(json.dumps({"answer": ext_llm(p), "seen": seen}))  # lazy: read at the call
        seen.append(p)
    out.append(max([[""], seen], default=ext_llm("d")) is seen)
    return out


def test_a_lazy_library_call_reads_the_programs_lists_as_at_the_call() -> None:
    """The calls still overlap, and each dump shows ``seen`` as it was at its call (p604)."""
    _, schedule = run_both(dumps_with_a_list_changed_after,
                           overlap=[calls_to("ext_llm", "a", "b", "c")])
    assert_all_overlap(calls_of(schedule, "ext_llm")[:3])
