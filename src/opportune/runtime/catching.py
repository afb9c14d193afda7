"""Failures a ``try`` turned into a branch holds for its handler (compiler/tries.py).

A ``try`` whose body is one call becomes ``if <outcome> is not None: <handler> else: <rest>``.
The outcome's calls may still be running when the program goes on, and one of them may fail
later. Recorded as the program's failure, it would be met (raised) by the next wait, as if
nothing caught it. So while the outcome is undecided, failures of values numbered inside the
body's stretch of program order are held here instead (``Runtime._settle``); once every value
there has finished, the earliest one decides, as plain Python stops at the first failing
call: if the handler's classes match it the outcome is that exception, and the failure is
handled; if not, it becomes the program's failure as usual, and the outcome fails with it.
"""

from __future__ import annotations

from typing import Any


class Catch:
    """The stretch ``[lo, hi)`` of a body whose failures are held for ``classes``."""

    __slots__ = ("classes", "failures", "hi", "lo", "outcome")

    def __init__(self, lo: int, hi: int, classes: tuple[type[BaseException], ...],
                 outcome: Any) -> None:
        self.lo = lo
        self.hi = hi
        self.classes = classes
        self.outcome = outcome  # the Pending the branch tests
        self.failures: dict[int, BaseException] = {}


def classes_of(kinds: Any) -> tuple[type[BaseException], ...] | None:
    """What an ``except`` clause names: a class, or a tuple of classes (not nested); None if
    it names anything else: then the interpreter raises ``TypeError`` at the clause, which
    only the clause itself may do, once the body raised."""
    items = kinds if type(kinds) is tuple else (kinds,)
    for k in items:
        if not (isinstance(k, type) and issubclass(k, BaseException)):
            return None
    return items


def matches(error: BaseException, classes: tuple[type[BaseException], ...]) -> bool:
    """Whether an ``except`` clause of ``classes`` catches ``error``: by the class's own
    bases, as the interpreter tests it (no ``__instancecheck__`` or ``__subclasscheck__``)."""
    mro = type(error).__mro__
    return any(c in mro for c in classes)


def holder(catches: list[Catch], seq: int) -> Catch | None:
    """The open stretch ``seq`` was numbered in, if any (caller holds the runtime's lock)."""
    for c in catches:
        if c.lo <= seq < c.hi:
            return c
    return None
