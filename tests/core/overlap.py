"""Calls a schedule test expects to overlap are made to prove it, however loaded the machine.

A test used to let its externals sleep a few milliseconds and then check that the recorded calls
overlapped. That held only while the program issued every call before the first one's sleep ran
out: on a loaded machine the worker thread started for the second call can wait tens of
milliseconds before the OS first runs it, the first thread then takes the queued call after its
own, and the two calls did not overlap although opportune never waited for either.

Here an external calls :func:`meet` (or :func:`meet_async`) first. Outside :func:`overlapping`
that does nothing, so the plain Python run of the same program is unchanged. Inside it, a call
named in a group returns only once every call of its groups has started: the recorded calls
then overlap whatever the timing, and a runtime that waits for one of them before issuing
another leaves that one waiting, until :data:`TIMEOUT_S`, when it fails naming the calls that
never started. A call is named by its external's name and its first argument (:func:`calls_to`).

A test that asserts the program waited for a call (``--explain`` names the wait) has the same
problem the other way round: a wait is recorded only if the value was still missing when the
program needed it, and a program thread the OS did not run for a while finds it there already.
:func:`held_until_waited` keeps the named calls from returning until the program thread is
blocked waiting.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Hashable, Iterator
from contextlib import contextmanager

Key = tuple[str, Hashable]

# Far longer than any scheduling delay, well inside the tests' own 60 s limit.
TIMEOUT_S = 15.0


class CallsDidNotOverlap(Exception):
    """An armed call waited :data:`TIMEOUT_S` for calls it should overlap and they never started."""


class ProgramDidNotWait(Exception):
    """A held call waited :data:`TIMEOUT_S` for the program to wait for it, and it never did."""


def calls_to(name: str, *first_args: Hashable) -> frozenset[Key]:
    """The calls of external ``name`` whose first argument is one of ``first_args``."""
    return frozenset((name, a) for a in first_args)


_cond = threading.Condition()
_partners: dict[Key, frozenset[Key]] = {}  # armed call -> every call of its groups
_arrived: set[Key] = set()
_broken: set[frozenset[Key]] = set()  # partners one of which timed out: the others stop waiting
# async calls waiting, by their partners (one check per group, not per call, on each arrival)
_async_waiters: dict[frozenset[Key], list[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}


@contextmanager
def overlapping(*groups: frozenset[Key]) -> Iterator[None]:
    """Arm the groups: each call in one returns only once all calls of its groups started."""
    partners: dict[Key, frozenset[Key]] = {}
    for group in groups:
        for key in group:
            partners[key] = partners.get(key, frozenset()) | group
    with _cond:
        if _partners:
            raise RuntimeError("overlapping() is already armed; arm every group at once")
        _partners.update(partners)
        _arrived.clear()
        _broken.clear()
    try:
        yield
    finally:
        with _cond:
            _partners.clear()
            _arrived.clear()
            _wake_async(everyone=True)
            _cond.notify_all()  # a call still waiting (the test failed) goes on


def _arrive(key: Key) -> frozenset[Key] | None:
    """Record the call as started (caller holds ``_cond``); its partners, None if not armed."""
    partners = _partners.get(key)
    if partners is not None:
        _arrived.add(key)
        _wake_async(everyone=False)
        _cond.notify_all()
    return partners


def _met(partners: frozenset[Key]) -> bool:
    return not _partners or partners <= _arrived or partners in _broken


def _check(key: Key, partners: frozenset[Key]) -> None:
    """Fail the call if, done waiting, not all its partners started (caller holds ``_cond``);
    the others waiting with it then fail at once instead of each waiting its own timeout."""
    if not _partners or partners <= _arrived:
        return
    _broken.add(partners)
    _wake_async(everyone=False)
    _cond.notify_all()
    missing = ", ".join(f"{n}({a!r})" for n, a in sorted(partners - _arrived, key=repr))
    raise CallsDidNotOverlap(
        f"{key[0]}({key[1]!r}) waited {TIMEOUT_S:g} s for {missing} to start: the runtime did "
        "not run them at the same time (it waited for one before issuing the next)"
    )


def meet(name: str, first_arg: Hashable) -> None:
    """In a sync external: return once every call armed with this one has started (and, if it
    is held, once the program waits)."""
    key = (name, first_arg)
    with _cond:
        partners = _arrive(key)
        if partners is not None:
            _cond.wait_for(lambda: _met(partners), TIMEOUT_S)
            _check(key, partners)
        program = _held.get(key)
    if program is not None:
        _until_blocked(key, program)


_held: dict[Key, int] = {}  # held call -> the thread running the program


@contextmanager
def held_until_waited(keys: frozenset[Key]) -> Iterator[None]:
    """Each of the named calls returns only once the thread that entered this block (the one
    running the program) is blocked waiting for something: the program needed a value it did
    not have yet. Without that it fails after :data:`TIMEOUT_S`."""
    with _cond:
        _held.update(dict.fromkeys(keys, threading.get_ident()))
    try:
        yield
    finally:
        with _cond:
            _held.clear()


def _until_blocked(key: Key, program: int) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        frame = sys._current_frames().get(program)
        while frame is not None:
            code = frame.f_code
            if code.co_name == "wait" and code.co_filename == threading.__file__:
                return  # Condition.wait or Event.wait: the program waits
            frame = frame.f_back
        if not _held:
            return  # the block was left (the test failed)
        time.sleep(0.001)
    raise ProgramDidNotWait(
        f"{key[0]}({key[1]!r}) waited {TIMEOUT_S:g} s for the program to wait for a value: "
        "it never did while the call ran")


def _wake_async(everyone: bool) -> None:
    """Set the event of each async call whose partners have all started (caller holds _cond)."""
    for partners in [p for p in _async_waiters if everyone or _met(p)]:
        for loop, event in _async_waiters.pop(partners):
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)


async def meet_async(name: str, first_arg: Hashable) -> None:
    """In an async external: as :func:`meet`, without blocking the event loop."""
    key = (name, first_arg)
    with _cond:
        partners = _arrive(key)
        if partners is None:
            return
        if _met(partners):
            _check(key, partners)
            return
        event = asyncio.Event()
        _async_waiters.setdefault(partners, []).append((asyncio.get_running_loop(), event))
    try:
        await asyncio.wait_for(event.wait(), TIMEOUT_S)
    except TimeoutError:
        pass
    with _cond:
        _check(key, partners)
