"""The threads that run sync external calls: a queue and as many threads as calls need.

``concurrent.futures.ThreadPoolExecutor`` plus ``loop.run_in_executor`` cost tens of
microseconds per call (a future per call, a task on the event loop, two wake-ups of the loop
thread). A call here is one queue entry: an idle thread takes it, runs it and records the
result itself (:meth:`Runtime._finish_on_worker`), and the loop thread is woken only when
something waits on that result. A new thread starts only when every existing one is busy, up
to the limit, so a program with many slow calls gets them overlapped and a program with many
quick ones reuses one or two threads. A job may return the next job, which then runs on the
same thread: a call that was held back for its function's ``max_concurrency`` starts on the
thread its predecessor just freed, instead of waking another thread (a futex wake and a
context switch per call, which on few cores costs more than the call's own Python work).

A thread whose pool shuts down (the run ended) waits for the next pool instead of ending, up to
:data:`KEEP_SPARE` threads in the process, so a run takes threads an earlier run left instead of
starting (and ending) one per worker it needs. A thread serves each pool in a new, empty
``contextvars`` context, as a new thread would; a ``threading.local`` an external set stays with
the thread, as it does under plain Python, where every call runs on the one program thread. A
forked child forgets the spare threads (they are not in it).
"""

from __future__ import annotations

import _thread
import contextvars
import os
import threading
from collections import deque
from collections.abc import Callable
from queue import Empty, SimpleQueue
from typing import Any

_STOP = None
KEEP_SPARE = 8

_spare_lock = threading.Lock()
_spare = 0  # threads waiting in _assign for a pool
_assign: SimpleQueue[Workers] = SimpleQueue()


class Workers:
    """A bounded, growing set of threads taking jobs from one queue in order.

    Every thread that finishes a job leaves a token in ``_idle`` before it waits for the next;
    a submitted job takes a token if there is one (that thread will pick it up) and otherwise
    starts a thread of its own, so no job waits behind a busy thread while the limit allows
    another. Appending to and popping from a deque are atomic, so the hot path takes no lock.
    """

    def __init__(self, max_threads: int, name: str) -> None:
        self._max = max_threads
        self._name = name
        self._jobs: SimpleQueue[Callable[[], Any] | None] = SimpleQueue()
        # a job returns None or the next job to run on its thread
        self._idle: deque[None] = deque()
        self._count = 0
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, job: Callable[[], Any]) -> None:
        if self._closed:
            return
        self._jobs.put(job)
        try:
            self._idle.pop()
        except IndexError:
            self._grow()

    def _grow(self) -> None:
        with self._lock:
            if self._closed or self._count >= self._max:
                return  # the job waits for the next thread to finish its own
            self._count += 1
        if _take_spare():
            _assign.put(self)
        else:
            _thread.start_new_thread(_serve, (self,))

    def _work(self) -> None:
        jobs, idle = self._jobs, self._idle
        while True:
            job = jobs.get()
            if job is _STOP:
                return
            try:
                job = job()
                while job is not None and not self._closed:  # as submit(): none after shutdown
                    job = job()
            except BaseException:  # noqa: BLE001 - a job's own error must not cost the pool
                # a thread (jobs record their call's failure themselves; this is a bug in
                # opportune, so it is shown, but the thread goes on serving)
                import traceback

                traceback.print_exc()
            idle.append(None)

    def shutdown(self) -> None:
        """Jobs not yet started are dropped; running ones finish, then their threads end."""
        with self._lock:
            self._closed = True
            threads = self._count
        while True:
            try:
                self._jobs.get_nowait()
            except Empty:
                break
        for _ in range(threads):
            self._jobs.put(_STOP)


def _serve(workers: Workers | None) -> None:
    """A thread's life: serve a pool until it shuts down, then wait for the next one."""
    while workers is not None:
        contextvars.Context().run(workers._work)
        workers = _park()


def _park() -> Workers | None:
    global _spare
    with _spare_lock:
        if _spare >= KEEP_SPARE:
            return None
        _spare += 1
        assign = _assign
    return assign.get()


def _take_spare() -> bool:
    global _spare
    with _spare_lock:
        if not _spare:
            return False
        _spare -= 1
        return True


def _forget_spare() -> None:
    global _spare, _spare_lock, _assign
    _spare = 0
    _spare_lock = threading.Lock()  # another thread may have held it at the fork
    _assign = SimpleQueue()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_spare)
