"""The threads that run the program's own code beside it: deferred branch arms
(runtime/deferral.py) and functions run concurrently (runtime/spawn.py).

Starting a ``threading.Thread`` waits until the new thread has started, two hand-offs of the
interpreter lock, and ending it is another: about 0.2 ms each on a 2-core machine, paid for
every arm. A one-call program of the AgentDojo replay defers two or three arms, so starting
their threads was a tenth of what such a run costs over plain Python. So a thread whose code
has ended waits for the next instead of ending, up to :data:`KEEP_SPARE` in the process, and
:func:`start` hands new code to a waiting thread without waiting for it.

A thread runs each piece of code as a new thread would: under the name it is given
(``opportune-arm``, ``opportune-fn``; ``opportune-program-idle`` while it waits), as a daemon,
in the ``contextvars`` context the caller made for it (the target is ``context.run``), and an
exception that escapes it goes to ``threading.excepthook``. The runtime's own thread-local state
(``context._local``) is set and cleared by the code it runs (``spawn._run``). A
``threading.local`` that the program's code set on such a thread stays with the thread, as it
would on the one thread of plain Python, where all of it runs. A forked child forgets the
waiting threads (they are not in it).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from queue import SimpleQueue
from typing import Any

KEEP_SPARE = 8
IDLE_NAME = "opportune-program-idle"

Job = tuple[Callable[..., Any], tuple[Any, ...], str]

_lock = threading.Lock()
_idle: list[SimpleQueue[Job]] = []  # one queue per waiting thread


def start(target: Callable[..., Any], args: tuple[Any, ...], name: str) -> None:
    """Run ``target(*args)`` on a thread named ``name``: a waiting one, or a new daemon."""
    with _lock:
        jobs = _idle.pop() if _idle else None
    if jobs is not None:
        jobs.put((target, args, name))
        return
    threading.Thread(target=_serve, args=((target, args, name),), name=name,
                     daemon=True).start()


def _serve(job: Job | None) -> None:
    me = threading.current_thread()
    jobs: SimpleQueue[Job] = SimpleQueue()
    while job is not None:
        target, args, name = job
        job = None
        me.name = name
        try:
            target(*args)
        except BaseException:  # noqa: BLE001 - reported as a thread's own end would be
            threading.excepthook(threading.ExceptHookArgs((*sys.exc_info(), me)))
        # nothing of the code just run is kept alive by a waiting thread
        target = args = None  # type: ignore[assignment]
        with _lock:
            if len(_idle) >= KEEP_SPARE:
                return
            me.name = IDLE_NAME
            _idle.append(jobs)
        job = jobs.get()


def _forget() -> None:
    global _lock
    _idle.clear()
    _lock = threading.Lock()  # another thread may have held it at the fork


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget)
