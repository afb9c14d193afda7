"""Writes to a file the program opened: the schedule shows the loop's calls overlapping.

``f.write(json.dumps({"q": q, "a": ask(q)}) + "\\n")`` in a batch loop used to run in program
order, waiting for each answer before the next question was asked. A write to a text file the
program opened for writing is now queued at its place in program order (runtime/files.py), as
a ``print`` is, and whatever could see the file writes the queue first. Assertions read the
recorded schedule and what the file holds, never durations.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import opportune
from core.overlap import calls_to, meet
from core.test_schedule import assert_after, assert_all_overlap, calls_of, run_both

pytestmark = pytest.mark.timeout(60)

ITEMS = ["a", "b", "c", "d"]


@opportune.external
def ask(prompt: str) -> str:
    meet("ask", prompt)
    time.sleep(0.01)
    if prompt.startswith("bad"):
        raise RuntimeError(f"no answer for {prompt}")
    return f"A[{prompt}]"


@opportune.external
def pure(prompt: str) -> str:
    meet("pure", prompt)
    time.sleep(0.01)
    return prompt.upper()


@opportune.external(reads="store", writes="store")
def store(prompt: str) -> str:
    time.sleep(0.01)
    return f"stored {prompt}"


def _read(path: Path) -> str:
    with open(path) as r:
        return r.read()


def jsonl_batch(path: Path) -> str:
    with open(path, "w") as f:
        for i, q in enumerate(ITEMS):
            answer = ask(q)
            f.write(json.dumps({"i": i, "q": q, "a": answer}) + "\n")
            print(i, answer, sep=":", file=f)
            f.writelines([answer, "\n"])
    return _read(path)


def test_a_loop_writing_each_answer_to_a_file_makes_its_calls_together(tmp_path: Path) -> None:
    text, schedule = run_both(jsonl_batch, tmp_path / "out.jsonl",
                              overlap=[calls_to("ask", *ITEMS)])
    assert text.splitlines()[:3] == ['{"i": 0, "q": "a", "a": "A[a]"}', "0:A[a]", "A[a]"]
    calls = calls_of(schedule, "ask")
    assert len(calls) == len(ITEMS)
    assert_all_overlap(calls)
    assert not any("TextIOWrapper" in w.reason or "file" in w.reason for w in schedule.waits)


def flush_between(path: Path) -> str:
    with open(path, "w") as f:
        f.write(ask("a") + "\n")
        f.flush()
        f.write(ask("b") + "\n")
        with open(path) as r:
            seen = r.read()
    return seen + "|" + _read(path)


def test_a_flush_writes_the_queue_first_so_the_next_call_waits(tmp_path: Path) -> None:
    text, schedule = run_both(flush_between, tmp_path / "f.txt")
    assert text == "A[a]\n|A[a]\nA[b]\n"
    first, second = calls_of(schedule, "ask")
    assert_after(second, first)


def externals_after_a_write(path: Path) -> list[str]:
    with open(path, "w") as f:
        f.write(ask("a") + "\n")
        p = pure("p")  # declares no reads: it cannot see the file, it need not wait
        f.write(ask("b") + "\n")
        s = store("s")  # declares reads=/writes=: the writes before it are made first
    return [p, s, _read(path)]


def test_a_pure_external_does_not_wait_for_queued_writes_one_that_reads_does(
        tmp_path: Path) -> None:
    got, schedule = run_both(externals_after_a_write, tmp_path / "e.txt",
                             overlap=[calls_to("ask", "a") | calls_to("pure", "p")])
    assert got[2] == "A[a]\nA[b]\n"
    a, b = calls_of(schedule, "ask")
    (p,) = calls_of(schedule, "pure")
    (s,) = calls_of(schedule, "store")
    assert_all_overlap([a, p])
    assert_after(s, a)
    assert_after(s, b)


def failure_mid_loop(path: Path) -> str:
    try:
        with open(path, "w") as f:
            for q in ["a", "b", "bad c", "d"]:  # noqa: FURB122 - the shape under test
                f.write(ask(q) + "\n")
    except RuntimeError as e:
        return f"{e}|{_read(path)}"
    return "not reached"


def test_a_failure_mid_loop_leaves_the_lines_written_before_it(tmp_path: Path) -> None:
    text, _ = run_both(failure_mid_loop, tmp_path / "m.txt")
    assert text == "no answer for bad c|A[a]\nA[b]\n"
