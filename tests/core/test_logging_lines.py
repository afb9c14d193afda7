"""Logging lines in a loop of calls: the schedule shows the calls overlapping.

``log.info("item %s: %s", item, ask(item))`` in a batch loop used to run in program order,
waiting for every earlier call, so the loop made one call at a time. A logging call whose
handlers are plain StreamHandlers on stdout or stderr is now queued at its place in the output
(runtime/logs.py), as a ``print`` is. Assertions read the recorded schedule and the output.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator

import pytest

import opportune
from core.overlap import calls_to, meet
from core.test_schedule import assert_all_overlap, calls_of, run_both

pytestmark = pytest.mark.timeout(60)

ITEMS = ["a", "b", "c", "d"]


@opportune.external
def ask(prompt: str) -> str:
    meet("ask", prompt)
    time.sleep(0.01)
    return f"A[{prompt}]"


@opportune.external
def fails(prompt: str) -> str:
    time.sleep(0.01)
    raise RuntimeError(f"no {prompt}")


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    log = logging.getLogger("opportune-test-batch")
    log.propagate = False
    log.setLevel(logging.INFO)
    yield log
    log.propagate = True


def _attached(log: logging.Logger, fmt: str) -> list[logging.Handler]:
    """Only a StreamHandler on the run's stdout, as the program sees it; pytest's own capture
    handlers (attached to the logger during the test) are handed back to be put back."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(fmt))
    before = log.handlers
    log.handlers = [handler]
    return before


def progress_lines(log: logging.Logger) -> list[str]:
    before = _attached(log, "%(levelname)s %(funcName)s:%(lineno)d %(threadName)s %(message)s")
    out = []
    for i, item in enumerate(ITEMS):
        log.info("item %d: %s", i, item)
        answer = ask(item)
        log.debug("below the level %s", answer)
        log.info("answer %s", answer)
        out.append(answer)
    log.handlers = before
    return out


def lines_after_a_failure(log: logging.Logger) -> str:
    before = _attached(log, "%(message)s")
    try:
        first = ask("a")
        log.info("first %s", first)
        bad = fails("b")
        log.info("never written %s", bad)
        return "not reached"
    except RuntimeError as e:
        return str(e)
    finally:
        log.handlers = before


def _both(program: Callable[[logging.Logger], object], log: logging.Logger,
          capsys: pytest.CaptureFixture[str], **kw: object) -> tuple[str, opportune.Schedule]:
    run_both(program, log, **kw)  # plain first, then under opportune
    written = capsys.readouterr().out.splitlines()
    half = len(written) // 2
    assert written[:half] == written[half:], "the lines differ from plain Python's"
    return "\n".join(written[:half]), opportune.last_schedule()


def test_a_loop_that_logs_each_answer_makes_its_calls_together(
        logger: logging.Logger, capsys: pytest.CaptureFixture[str]) -> None:
    text, schedule = _both(progress_lines, logger, capsys, overlap=[calls_to("ask", *ITEMS)])
    assert "INFO progress_lines:" in text and "MainThread answer A[d]" in text
    assert "below the level" not in text
    calls = calls_of(schedule, "ask")
    assert len(calls) == len(ITEMS)
    assert_all_overlap(calls)
    assert not any("logging" in w.reason for w in schedule.waits)


def test_a_line_after_a_failed_call_is_not_written(
        logger: logging.Logger, capsys: pytest.CaptureFixture[str]) -> None:
    text, _ = _both(lines_after_a_failure, logger, capsys)
    assert text == "first A[a]"
