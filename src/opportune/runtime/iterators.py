"""Advancing an iterator the program holds, inside a ``try`` or ``with`` body.

Taking an item from a generator, a file or any other iterator changes it: plain Python, which
stopped at a failing call earlier in the body, never took that item, and the code after the
handler finds it still there (``next(rows)`` after a ``try`` whose header call failed).
Under opportune the body goes on past the call while it runs, so a loop over ``rows`` in the
body would use up what plain Python left. Like any other change in such a body (design.md,
*``try`` and ``with`` settling*, rule 3), taking an item first waits for the calls the body
issued and raises the first failure among them.

Compiled code hands the iterable of a ``for`` loop or comprehension, and the arguments of
``next`` and of the builtins that consume an iterator, to :func:`iterate` while some body is
open (``context.GUARD_OPEN``); it gives back lists, strings, dicts and every other
non-iterator as they are, and an iterator wrapped so that each item taken first settles.
"""

from __future__ import annotations

from typing import Any

from opportune.runtime.context import _local
from opportune.runtime.values import Pending

_NOT_ITERATORS = frozenset({list, tuple, dict, str, bytes, set, frozenset, range, Pending,
                            int, float, bool, type(None)})


class _Settling:
    """An iterator of the program's, read inside a guarding body: each item taken waits for
    the body's calls first."""

    __slots__ = ("_it", "_rt")

    def __init__(self, rt: Any, it: Any) -> None:
        self._rt = rt
        self._it = it

    def __iter__(self) -> _Settling:
        return self

    def __next__(self) -> Any:
        self._rt.settle_for_effect(())
        return next(self._it)


def iterate(value: Any) -> Any:
    """``value`` as a loop or a consuming builtin reads it (see the module docstring)."""
    tp = type(value)
    if tp in _NOT_ITERATORS:
        return value
    rt = getattr(_local, "runtime", None)
    if rt is None or not rt._guard_marks or not hasattr(tp, "__next__"):
        return value
    return _Settling(rt, value)
