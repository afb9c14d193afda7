"""Which runtime, if any, drives the current thread.

Only the thread that runs the program under opportune sees an active runtime. Worker threads that
execute external calls, and threads the user starts, see none, so any external they call runs
in place, exactly as under plain Python.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opportune.runtime.scheduler import Runtime

_local = threading.local()

# Not empty while any runtime has a ``try`` or ``with`` body open or code running concurrently
# that reads the program's objects (runtime/readers.py). Compiled call sites that change a
# built-in container directly, and stores of atoms, test it first (``__opportune_guarded__``,
# compiler/callsites.py) and take the hook while it is set. One list for the whole process,
# only ever changed in place, so the test is a cached builtin lookup and a truth test.
GUARDED: list[int] = []
# Not empty while some ``try`` or ``with`` body that guards changes is open (one entry per
# body): compiled loops over a name then ask runtime/iterators.py whether taking an item must
# wait. A hint only, like GUARDED: the hook itself looks at the current scope.
GUARD_OPEN: list[int] = []
# Non-empty while deferred arms handed a program's list, dict or set may still run (see
# runtime/arm_objects.py): the reads of such names that only look skip the hook otherwise.
SHARED_ARMS: list[int] = []

# Not empty while some runtime has values being computed (``Runtime._live``): the ids of those
# runtimes. Compiled ``x in some_list`` searches the list at once, at CPython's speed, while it
# is empty (nothing in a list can then be unfinished); otherwise it asks ``hooks.contains``,
# which gives a pending answer if an item is. A stale entry only sends searches to the hook, a
# missing one only makes a search wait for an item (``Pending.__eq__``'s truth), as plain
# ``in`` does: never a different answer.
LIVE: set[int] = set()


def active_runtime() -> Runtime | None:
    return getattr(_local, "runtime", None)


def set_active_runtime(runtime: Runtime | None) -> Runtime | None:
    previous = getattr(_local, "runtime", None)
    _local.runtime = runtime
    return previous


from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class CallInfo:
    """Identity of the external call a worker is executing, for clients that pass it on.

    ``parents`` are the ids of the calls whose results this call's arguments were computed from;
    a program-aware LLM gateway uses them to schedule parallel calls of one program together.
    """

    program_id: str
    thread_id: int
    call_id: int
    parents: tuple[int, ...] = ()


_current_call: ContextVar[CallInfo | None] = ContextVar("opportune_current_call", default=None)


def current_call() -> CallInfo | None:
    """The external call being executed here (worker thread or async task), or None."""
    return _current_call.get()


def set_current_call(info: CallInfo | None) -> CallInfo | None:
    previous = _current_call.get()
    _current_call.set(info)
    return previous
