"""A sort key of the program's over a list still being fetched: the schedule shows its calls.

``sorted(search(q), key=lambda d: relevance(q, d))`` used to be applied later, on the
runtime's loop thread, where the key's calls ran one after another, unrecorded, and a key
that prints printed out of program order (p752). It now runs on the program's thread once the
list exists: every key call is issued and recorded, and they overlap. A key that makes no
call (``key=lambda d: d[-1]``) is still applied later. Assertions read the recorded schedule.
"""

from __future__ import annotations

import time

import pytest

import opportune
from core.overlap import calls_to, meet
from core.test_schedule import assert_after, assert_all_overlap, calls_of, run_both

pytestmark = pytest.mark.timeout(60)

DOCS = [f"d{i}{'x' * i}" for i in range(4)]


@opportune.external
def fetch(query: str) -> list[str]:
    meet("fetch", query)
    time.sleep(0.01)
    return list(DOCS)


@opportune.external
def relevance(doc: str) -> int:
    meet("relevance", doc)
    time.sleep(0.01)
    return len(doc) * 7 % 5


@opportune.external
def ask(prompt: str) -> str:
    meet("ask", prompt)
    time.sleep(0.01)
    return f"A[{prompt}]"


def ranked_by_a_model() -> list[str]:
    return sorted(fetch("q"), key=lambda d: relevance(d), reverse=True)


def test_a_key_that_asks_a_model_makes_its_calls_together() -> None:
    _, schedule = run_both(ranked_by_a_model, overlap=[calls_to("relevance", *DOCS)])
    (fetched,) = calls_of(schedule, "fetch")
    scores = calls_of(schedule, "relevance")
    assert len(scores) == len(DOCS)  # recorded: issued by the program, not on the loop thread
    assert_all_overlap(scores)
    for s in scores:
        assert_after(s, fetched)


def sorted_without_calls_then_asked() -> list[str]:
    out = []
    for q in ["a", "b", "c"]:
        top = sorted(fetch(q), key=lambda d: d[-1], reverse=True)[:2]
        out.append(ask(f"{q}{top}"))
    return out


def test_a_key_without_calls_leaves_the_sort_for_later() -> None:
    _, schedule = run_both(sorted_without_calls_then_asked,
                           overlap=[calls_to("fetch", "a", "b", "c")])
    fetches = calls_of(schedule, "fetch")
    assert len(fetches) == 3
    assert_all_overlap(fetches)  # the loop did not wait for each list to sort it
