"""The worker threads of sync external calls (runtime/workers.py)."""

from __future__ import annotations

import _thread
import contextvars
import threading

import pytest

from opportune.runtime.workers import Workers

pytestmark = pytest.mark.timeout(30)


def test_every_job_runs_and_a_blocked_thread_gets_company() -> None:
    workers = Workers(4, "test")
    release = threading.Event()
    started, ended = threading.Semaphore(0), threading.Semaphore(0)

    def blocking() -> None:
        started.release()
        release.wait()
        ended.release()

    for _ in range(3):
        workers.submit(blocking)
    for _ in range(3):  # all three run at once: none waits behind a blocked thread
        assert started.acquire(timeout=10)
    release.set()
    for _ in range(3):
        assert ended.acquire(timeout=10)
    finished = threading.Event()
    workers.submit(finished.set)  # a thread that is free again takes it
    assert finished.wait(timeout=10)
    workers.shutdown()


def test_jobs_beyond_the_limit_wait_and_shutdown_drops_the_queued_ones() -> None:
    workers = Workers(1, "test")
    release, started, finished = threading.Event(), threading.Event(), threading.Event()
    ran: list[str] = []

    def first() -> None:
        started.set()
        release.wait()
        ran.append("first")
        finished.set()

    workers.submit(first)
    assert started.wait(timeout=10)
    workers.submit(lambda: ran.append("queued"))  # the only thread is busy: this one waits
    workers.shutdown()  # drops it; the running job finishes
    workers.submit(lambda: ran.append("after shutdown"))
    release.set()
    assert finished.wait(timeout=10)
    assert ran == ["first"]


def test_a_job_handed_back_runs_on_the_same_thread_without_waking_another() -> None:
    workers = Workers(4, "test")
    threads: list[int] = []
    done = threading.Event()

    def chain(left: int):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        if left == 0:
            done.set()
            return None
        return lambda: chain(left - 1)

    workers.submit(lambda: chain(5))
    assert done.wait(timeout=10)
    assert len(threads) == 6
    assert len(set(threads)) == 1
    assert workers._count == 1  # no second thread was started for the handed-back jobs
    workers.shutdown()


def test_a_job_handed_back_after_shutdown_is_dropped() -> None:
    workers = Workers(1, "test")
    release, started = threading.Event(), threading.Event()
    ran: list[str] = []

    def first():  # type: ignore[no-untyped-def]
        started.set()
        release.wait()
        ran.append("first")
        return lambda: ran.append("handed back")

    workers.submit(first)
    assert started.wait(timeout=10)
    workers.shutdown()
    release.set()
    workers.submit(lambda: ran.append("after shutdown"))  # dropped too; a sentinel for timing
    deadline = threading.Event()
    deadline.wait(0.2)
    assert ran == ["first"]


def _wait_for_spare() -> None:
    from opportune.runtime import workers as module

    for _ in range(1000):
        if module._spare:
            return
        threading.Event().wait(0.01)
    raise AssertionError("no thread of the shut-down pool became spare")


def test_a_thread_of_a_shut_down_pool_serves_the_next_pool_in_a_new_context() -> None:
    var: contextvars.ContextVar[str] = contextvars.ContextVar("var", default="unset")
    seen: list[tuple[int, str]] = []

    done = threading.Event()

    def first() -> None:
        seen.append((threading.get_ident(), var.get()))
        var.set("set by the first pool's job")
        done.set()

    def second() -> None:
        seen.append((threading.get_ident(), var.get()))
        done.set()

    pools = Workers(1, "test"), Workers(1, "test")
    pools[0].submit(first)
    assert done.wait(timeout=10)
    pools[0].shutdown()
    _wait_for_spare()
    threads = _thread._count()
    done.clear()
    pools[1].submit(second)
    assert done.wait(timeout=10)
    started = _thread._count() - threads
    pools[1].shutdown()
    assert ([value for _, value in seen], started) == (["unset", "unset"], 0)
