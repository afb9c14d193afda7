"""The program's iterators meet library code: real items for it, calls made as items are taken.

A generator of the program yields pending values; library code that receives it (opaque
code such as ``StringIO.writelines``) gets each item filled first (runtime/library_iterators.py, p810);
``writelines`` of a file that is not stdout runs the generator to the end first, so its
calls overlap (p816), while to stdout the items are taken one at a time, as plain Python does.
``map`` of an external is called through a call site as map is iterated, so its calls
overlap instead of each waiting in map's C loop (p812); ``map`` of a pure library function
over pending items gives derived values instead of handing ``str.upper`` a stand-in (p811).
``filter`` of an external still waits for each answer, and ``--explain`` says why.
Assertions read the recorded schedule.
"""

from __future__ import annotations

import io
import sys
import time

import pytest

import opportune
from core.overlap import calls_to, held_until_waited, meet
from core.test_schedule import assert_after, assert_all_overlap, calls_of, run_both

pytestmark = pytest.mark.timeout(60)

TICKETS = ["app crashes", "hello", "login broken", "refund please"]


@opportune.external
def classify(text: str) -> str:
    meet("classify", text)
    time.sleep(0.01)
    return "tech" if "crash" in text or "login" in text else "other"


@opportune.external
def ask(prompt: str) -> str:
    meet("ask", prompt)
    time.sleep(0.01)
    return f"A[{prompt}]"


@opportune.external
def relevant(text: str) -> bool:
    meet("relevant", text)
    time.sleep(0.01)
    return "o" in text


def labels_by_map() -> list[str]:
    return list(map(classify, TICKETS))


def test_map_of_an_external_makes_its_calls_together() -> None:
    labels, schedule = run_both(labels_by_map, overlap=[calls_to("classify", *TICKETS)])
    assert labels == ["tech", "other", "tech", "other"]
    assert_all_overlap(calls_of(schedule, "classify"))


def reply(ticket: str) -> str:
    return ask(ticket)


def replies_by_map_of_a_function() -> list[str]:
    return [r.lower() for r in map(reply, TICKETS)]


def test_map_of_the_programs_function_in_a_for_loop_overlaps() -> None:
    _, schedule = run_both(replies_by_map_of_a_function, overlap=[calls_to("ask", *TICKETS)])
    assert_all_overlap(calls_of(schedule, "ask"))


def first_of_a_map() -> str:
    return next(map(classify, TICKETS))


def test_a_map_taken_in_part_makes_only_the_calls_taken() -> None:
    assert opportune.run(first_of_a_map) == "tech"
    assert len(opportune.last_schedule().by_name("classify")) == 1


def written_lines() -> str:
    buf = io.StringIO()
    buf.writelines(ask(t) + "\n" for t in TICKETS[:2])
    buf.writelines(map(str.upper, (ask(t) for t in TICKETS[2:])))
    return buf.getvalue()


def test_writelines_of_a_generator_of_answers_gets_text() -> None:
    got, schedule = run_both(written_lines)
    assert got == "A[app crashes]\nA[hello]\nA[LOGIN BROKEN]A[REFUND PLEASE]"
    assert len(calls_of(schedule, "ask")) == 4


def lines_written_to_a_file() -> str:
    buf = io.StringIO()
    buf.writelines(ask(t) + "\n" for t in TICKETS)
    return buf.getvalue()


def test_writelines_of_a_file_makes_the_generators_calls_together() -> None:
    got, schedule = run_both(lines_written_to_a_file, overlap=[calls_to("ask", *TICKETS)])
    assert got.split("\n")[:-1] == [f"A[{t}]" for t in TICKETS]
    assert_all_overlap(calls_of(schedule, "ask"))


def lines_written_to_stdout() -> None:
    sys.stdout.writelines(ask(t) + "\n" for t in TICKETS[:2])


def test_writelines_to_stdout_takes_the_items_one_at_a_time(capsys) -> None:
    opportune.run(lines_written_to_stdout)
    assert capsys.readouterr().out == "A[app crashes]\nA[hello]\n"
    first, second = calls_of(opportune.last_schedule(), "ask")
    assert_after(second, first)


def test_filter_of_an_external_says_each_call_waits() -> None:
    with held_until_waited(calls_to("relevant", *TICKETS)):
        namespace = opportune.run_source("kept = list(filter(relevant, tickets))\n",
                                         {"relevant": relevant, "tickets": TICKETS},
                                         explain=True)
    assert namespace["kept"] == [t for t in TICKETS if relevant(t)]
    reasons = [w.reason for w in opportune.last_schedule().waits]
    assert reasons and all("called by library code outside the program's code" in r
                           for r in reasons), reasons
