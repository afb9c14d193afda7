"""The threads that run deferred arms and concurrent functions (runtime/program_threads.py),
and the runs that use them."""

from __future__ import annotations

import contextvars
import threading

import pytest

import opportune
from opportune.runtime import program_threads

pytestmark = pytest.mark.timeout(30)


def _run_on_program_thread(target, *args):  # type: ignore[no-untyped-def]
    """Start ``target(*args)`` there and wait for its end; the thread it ran on."""
    done = threading.Event()
    seen: list[threading.Thread] = []

    def job() -> None:
        try:
            seen.append(threading.current_thread())
            target(*args)
        finally:
            done.set()

    program_threads.start(job, (), "opportune-arm")
    assert done.wait(timeout=10)
    return seen[0]


def _parked(thread: threading.Thread) -> bool:
    for _ in range(1000):
        if thread.name == program_threads.IDLE_NAME:
            return True
        threading.Event().wait(0.01)
    return False


def test_code_runs_under_its_name_as_a_daemon_and_the_thread_waits_for_the_next() -> None:
    names: list[str] = []
    first = _run_on_program_thread(lambda: names.append(threading.current_thread().name))
    assert names == ["opportune-arm"]
    assert first.daemon
    assert _parked(first)  # not ended: it waits for the next piece of code
    assert first.is_alive()
    second = _run_on_program_thread(lambda: names.append(threading.current_thread().name))
    assert second is first  # the waiting thread took it; none was started
    assert names == ["opportune-arm", "opportune-arm"]


def test_an_escaping_exception_goes_to_threading_excepthook_and_the_thread_goes_on() -> None:
    reported: list[tuple[type[BaseException], str]] = []
    saved = threading.excepthook
    threading.excepthook = lambda args: reported.append(  # type: ignore[assignment]
        (args.exc_type, args.thread.name))
    try:
        def fails() -> None:
            raise ValueError("boom")

        thread = _run_on_program_thread(fails)
        assert _parked(thread)
    finally:
        threading.excepthook = saved
    assert reported == [(ValueError, "opportune-arm")]
    assert _run_on_program_thread(lambda: None) is thread


def test_code_runs_in_the_context_it_is_given() -> None:
    var: contextvars.ContextVar[str] = contextvars.ContextVar("var", default="unset")
    var.set("caller")
    context = contextvars.copy_context()
    var.set("later")
    seen: list[str] = []
    done = threading.Event()

    def job() -> None:
        seen.append(var.get())
        done.set()

    program_threads.start(context.run, (job,), "opportune-fn")
    assert done.wait(timeout=10)
    assert seen == ["caller"]


def test_at_most_keep_spare_threads_wait() -> None:
    release = threading.Event()
    started = threading.Semaphore(0)

    def blocking() -> None:
        started.release()
        release.wait()

    count = program_threads.KEEP_SPARE + 3
    for _ in range(count):
        program_threads.start(blocking, (), "opportune-arm")
    for _ in range(count):
        assert started.acquire(timeout=10)
    release.set()
    for _ in range(1000):
        if len(program_threads._idle) == program_threads.KEEP_SPARE:
            break
        threading.Event().wait(0.01)
    threading.Event().wait(0.05)
    assert len(program_threads._idle) == program_threads.KEEP_SPARE


@opportune.external(name="lookup")
def lookup(x: int) -> list[int]:
    return [] if x == 0 else [x]


@opportune.external(name="fallback")
def fallback(x: int) -> list[int]:
    return [x, x]


_DEFERRED_IFS = '''
found = lookup(key)
if len(found) == 0:
    found = fallback(key)
if len(found) == 2:
    kind = "fallback"
else:
    kind = "direct"
result = (kind, found)
'''


@pytest.mark.parametrize("key, expected, calls", [
    (0, ("fallback", [0, 0]), ["lookup", "fallback"]),
    (5, ("direct", [5]), ["lookup"]),
])
def test_runs_with_deferred_arms_on_waiting_threads_keep_results_and_calls(
        key: int, expected: tuple[str, list[int]], calls: list[str]) -> None:
    """Run after run, the arms take threads earlier arms left waiting; every run still makes
    the calls plain Python makes, in its order, and binds what it binds."""
    for _ in range(5):
        namespace = opportune.run_source(
            _DEFERRED_IFS, {"lookup": lookup, "fallback": fallback, "key": key})
        assert namespace["result"] == expected
        schedule = opportune.last_schedule()
        assert [c.name for c in sorted(schedule.calls, key=lambda c: c.call_id)] == calls
        assert all(c.ok for c in schedule.calls)
    assert any(t.name == program_threads.IDLE_NAME for t in threading.enumerate())
