"""Generators of the program that a failing call ended in plain Python.

A call made while a generator runs (``yield fetch(url)``) returns a pending value, and the
generator goes on to its ``yield``. If the call fails, plain Python raised at the call, inside
the generator: the exception ended it, and a ``next()`` after the consumer handled the error
raised ``StopIteration``. Under opportune the failure is met later, by the consumer (a ``try``
around ``next(pages)`` settling, or the pending value forced), while the generator sits at its
``yield`` as if nothing had happened, so a ``while True: try: next(pages) except ...: continue``
loop went on to the items plain Python never produced (p690).

So each compiled generator carries a token, and a call records the tokens of the generators
running at it (their frames are in the call's site, runtime/tracebacks.py). When the program
meets the call's failure (``Runtime._handle``) while such a generator is not running (it is
suspended: the failure never went through it under opportune), its token is marked dead, and
the generator ends as soon as it is resumed: a generator function's ``yield`` raises
:class:`GeneratorEnded`, which the compiler's wrapper around its body turns into a ``return``;
a generator expression's source iterator stops. A generator on the stack where the failure is
met needs nothing: the exception goes through it as in plain Python.

Tokens are found by the id of the generator's frame, registered when the generator first
runs. The map holds them weakly: a token lives as long as its generator's frame (a local of
it, or its source iterator), so an id in the map always names the frame it was registered for.
"""

from __future__ import annotations

import sys
import types
import weakref
from typing import Any

from opportune.runtime.context import _local

CO_GENERATOR = 0x20

# id(frame of a running or suspended compiled generator) -> weak reference to its token
TOKENS: dict[int, weakref.ref[Any]] = {}


class GeneratorEnded(BaseException):
    """Raised at the ``yield`` of a generator that a failing call ended in plain Python; the
    compiled generator's body catches it and returns."""


class Token:
    """A generator function's mark: ``dead`` once a failing call has ended it."""

    __slots__ = ("__weakref__", "dead")

    def __init__(self) -> None:
        self.dead = False


_INERT = Token()  # handed out where no runtime runs the thread: never marked dead


def _register(frame_id: int, token: Any) -> None:
    def forget(ref: weakref.ref[Any], frame_id: int = frame_id) -> None:
        if TOKENS.get(frame_id) is ref:
            del TOKENS[frame_id]

    TOKENS[frame_id] = weakref.ref(token, forget)


def generator() -> Token:
    """The first statement of a compiled generator function: its token."""
    if getattr(_local, "runtime", None) is None:
        return _INERT
    token = Token()
    _register(id(sys._getframe(1)), token)
    return token


def resumed(token: Token, sent: Any) -> Any:
    """Right after a compiled ``yield``: ``sent`` is what it evaluated to."""
    if token.dead:
        raise GeneratorEnded
    return sent


class GenexpSource:
    """The outermost iterator of a generator expression whose items make calls, standing for
    ``iter(source)`` (made at once, as Python makes it): it stops once a failing call has
    ended the generator, without taking another item from the source."""

    __slots__ = ("__weakref__", "_it", "_registered", "dead")

    def __init__(self, source: Any) -> None:
        self._it = iter(source)
        self.dead = False
        self._registered = False

    def __iter__(self) -> GenexpSource:
        return self

    def __next__(self) -> Any:
        if self.dead:
            raise StopIteration
        if not self._registered:
            self._registered = True
            if getattr(_local, "runtime", None) is not None:
                _register(id(sys._getframe(1)), self)
        return next(self._it)


def running(site: tuple[tuple[int, Any, int], ...]) -> tuple[tuple[int, weakref.ref[Any]], ...]:
    """The (frame id, token) of each compiled generator among a call site's frames."""
    if not TOKENS:
        return ()
    found = []
    for frame_id, code, _ in site:
        if code.co_flags & CO_GENERATOR:
            ref = TOKENS.get(frame_id)
            if ref is not None:
                found.append((frame_id, ref))
    return tuple(found)


def end_suspended(generators: tuple[tuple[int, weakref.ref[Any]], ...]) -> None:
    """A call made while ``generators`` ran has failed and the program met the failure here:
    those not running now are ended (see the module docstring)."""
    here: set[int] = set()
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None:
        here.add(id(frame))
        frame = frame.f_back
    here.update(frame_id for frame_id, _, _ in getattr(_local, "site", ()))
    for frame_id, ref in generators:
        token = ref()
        if token is not None and frame_id not in here:
            token.dead = True
