"""The event loop a run's async calls and callbacks run on, and the thread that runs it.

Making one costs a thread (and the wait for it to start), an epoll object and a socket pair,
and ending it a join: about 0.3 ms on a 2-core machine, paid by every run that makes a call,
while the threads it adds take the GIL from the program. So a loop whose run left nothing on it
is parked when the run ends, and the next run takes it instead of making one. "Nothing" is
checked on the loop itself once the run's tasks are cancelled (:func:`idle`): no task, no
callback or timer still to run, no reader or writer but its own wake-up socket, no default executor, no exception
handler, task factory, debug mode or async generator the program set or made. A loop that
holds any of these is stopped and closed as before, so what a program left on a loop never
reaches the next run. At most :data:`KEEP` loops are parked (one per run running at once); a
parked thread is named ``opportune-loop-idle`` and takes ``opportune-loop`` again when a run
takes it. A forked child forgets the parked loops (their threads are not in it), and the
interpreter's exit stops and closes them.
"""

from __future__ import annotations

import atexit
import os
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio

NAME = "opportune-loop"
IDLE_NAME = "opportune-loop-idle"
KEEP = 4

_parked: list[LoopThread] = []
_lock = threading.Lock()


class LoopThread:
    """A thread running one event loop; ``loop`` is set (or stays None if making it failed)
    before ``ready`` is."""

    __slots__ = ("loop", "ready", "thread")

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.ready = threading.Event()
        # the thread's target holds this object only, never a run: a parked loop keeps no run
        # alive
        self.thread = threading.Thread(target=_serve, args=(self,), name=NAME, daemon=True)
        self.thread.start()


def _serve(handle: LoopThread) -> None:
    try:
        import asyncio

        loop = new_event_loop()
        asyncio.set_event_loop(loop)
        handle.loop = loop
    finally:
        handle.ready.set()
    loop.run_forever()


def new_event_loop() -> Any:
    """A new asyncio event loop, made without the debug record asyncio logs for it ("Using
    selector"): the program made no loop, and a program that logs at DEBUG must not see one."""
    import asyncio
    import logging

    maker = threading.get_ident()

    def not_ours(record: logging.LogRecord) -> bool:
        return not (record.thread == maker and record.msg == "Using selector: %s")

    logger = logging.getLogger("asyncio")
    logger.addFilter(not_ours)
    try:
        return asyncio.new_event_loop()
    finally:
        logger.removeFilter(not_ours)


def take() -> LoopThread:
    """A parked loop thread if there is one, else a new one (started, maybe not ready yet)."""
    with _lock:
        while _parked:
            handle = _parked.pop()
            if handle.thread.is_alive() and handle.loop is not None \
                    and not handle.loop.is_closed():
                handle.thread.name = NAME
                return handle
    return LoopThread()


def idle(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether ``loop`` is as a new one would be (called on its own thread, from the task that
    ends the run, once every other task has finished)."""
    import asyncio

    try:
        return (
            asyncio.all_tasks(loop) <= {asyncio.current_task(loop)}
            and not loop._ready  # type: ignore[attr-defined]
            and not any(not h.cancelled() for h in loop._scheduled)  # type: ignore[attr-defined]
            and len(loop._selector.get_map()) == 1  # type: ignore[attr-defined]
            and loop._default_executor is None  # type: ignore[attr-defined]
            and not loop._asyncgens  # type: ignore[attr-defined]
            and loop.get_exception_handler() is None
            and loop.get_task_factory() is None
            and not loop.get_debug()
        )
    except AttributeError:  # a loop class without these (not the default one): never kept
        return False


def park(handle: LoopThread) -> bool:
    """Keep ``handle``'s running loop for the next run, unless :data:`KEEP` are parked."""
    with _lock:
        if len(_parked) >= KEEP:
            return False
        handle.thread.name = IDLE_NAME
        _parked.append(handle)
        return True


def _forget() -> None:
    global _lock
    _parked.clear()
    _lock = threading.Lock()  # another thread may have held it at the fork


def _close_parked() -> None:
    with _lock:
        handles = list(_parked)
        _parked.clear()
    for handle in handles:
        loop = handle.loop
        if loop is None or loop.is_closed():
            continue
        try:
            loop.call_soon_threadsafe(loop.stop)
        except RuntimeError:
            continue
        handle.thread.join(timeout=1)
        if not handle.thread.is_alive():
            loop.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget)
atexit.register(_close_parked)
