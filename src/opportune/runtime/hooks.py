"""The names compiled code calls, installed once as builtins.

Compiled code must keep working where no runtime drives the thread (a worker thread running an
external's body, a thread the user started, code called after the run): every hook then does
exactly what plain Python would.
"""

from __future__ import annotations

import builtins
import functools
import operator
import sys
from typing import Any

from opportune.compiler import callsites, changes
from opportune.compiler import rollback as rollback_names
from opportune.compiler import transform as names
from opportune.runtime.context import GUARDED, _local
from opportune.runtime.dispatch import _ITERATORS, call, fstring
from opportune.runtime.managers import inert
from opportune.runtime.scheduler import EscapingFailure
from opportune.runtime.snapshot import fill_in_place
from opportune.runtime.values import Pending


def try_enter(*managers: Any) -> int:
    """A ``try`` body begins (no managers) or a ``with`` body (its managers, see managers.py)."""
    rt = getattr(_local, "runtime", None)
    if rt is None:
        return 0
    return rt.try_enter(not managers or not all(map(inert, managers)))


def try_exit(mark: int) -> None:
    rt = getattr(_local, "runtime", None)
    if rt is not None:
        rt.try_exit(mark)


def unescape(escaping: EscapingFailure, mark: int) -> Any:
    rt = getattr(_local, "runtime", None)
    if rt is None:
        raise escaping.error
    rt.unescape(escaping, mark)


class _Unbound:
    """Stands for a name that had no value when a ``try`` body rebound it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unbound>"


UNBOUND = _Unbound()


def journal(mark: int) -> bool:
    rt = getattr(_local, "runtime", None)
    return rt is not None and mark != 0 and rt.journal_needed(mark)


def keep(mark: int, name: str, old: Any) -> None:
    rt = getattr(_local, "runtime", None)
    if rt is not None:
        rt.keep(mark, name, old)


def rollback(mark: int) -> dict[str, Any]:
    rt = getattr(_local, "runtime", None)
    if rt is None or mark == 0:
        return {}
    handled = sys.exc_info()[1]
    met = rt.scope().met
    if isinstance(handled, BaseExceptionGroup) and met is not None and met[0] is not handled:
        # an except* handler holds the failure wrapped in a group (p349)
        found = handled.subgroup(lambda e: e is met[0])
        if found is not None:
            handled = met[0]
    return rt.rollback(mark, handled)


def store_guard(value: Any, owner: Any = None) -> Any:
    """Wraps the value of an attribute or item store into ``owner`` (when the target names it),
    see Runtime.settle_for_effect and runtime/readers.py."""
    rt = getattr(_local, "runtime", None)
    if rt is not None:
        if rt._guard_marks:
            rt.settle_for_effect((value,))
        if rt.readers.entries and owner is not None:
            rt.readers.before_change(owner._force() if type(owner) is Pending else owner)
    return value


_UNCHANGEABLE = frozenset({int, float, str, bytes, bool, complex, tuple, frozenset, type(None)})


def changing(*owners: Any) -> None:
    """``del x[k]`` / ``del x.a`` is about to change ``owners`` (None where the target was not
    a plain name); see Runtime.settle_for_effect and runtime/readers.py."""
    rt = getattr(_local, "runtime", None)
    if rt is not None:
        if rt._guard_marks:
            rt.settle_for_effect(())
        if rt.readers.entries:
            for owner in owners:
                if owner is not None:
                    rt.readers.before_change(owner._force() if type(owner) is Pending else owner)


def inplace(value: Any, target: Any) -> Any:
    """``target op= value`` on a name: unless ``target`` is immutable (or pending, whose own
    in-place operators decide), the operator changes the object in place."""
    rt = getattr(_local, "runtime", None)
    if rt is not None and type(target) not in _UNCHANGEABLE and type(target) is not Pending:
        if rt._guard_marks:
            rt.settle_for_effect((value,))
        if rt.readers.entries:
            rt.readers.before_change(target)
    return value


def identical(a: Any, b: Any, negate: bool) -> Any:
    """``a is b`` on the values; pending while either value is still being computed."""
    for v in (a, b):
        if type(v) is Pending and v._state != 1 and getattr(_local, "runtime", None) is not None:
            return v._rt.derive_op(operator.is_not if negate else operator.is_, (a, b), "is")
    if type(a) is Pending:
        a = a._force()
    if type(b) is Pending:
        b = b._force()
    return (a is not b) if negate else (a is b)


def concrete(value: Any) -> Any:
    """The real value, with pending values inside the program's containers filled in."""
    if type(value) is Pending or type(value) in (list, dict, tuple, set):
        return fill_in_place(value)
    return value


def bind(f: Any) -> Any:
    """``f`` called through the dispatch hook (a call site that found a name rebound)."""
    return functools.partial(call, f)


_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    setattr(builtins, names.CALL, call)
    setattr(builtins, names.FSTRING, fstring)
    setattr(builtins, names.TRY_ENTER, try_enter)
    setattr(builtins, rollback_names.JOURNAL, journal)
    setattr(builtins, rollback_names.KEEP, keep)
    setattr(builtins, rollback_names.ROLLBACK, rollback)
    setattr(builtins, rollback_names.UNBOUND, UNBOUND)
    setattr(builtins, names.TRY_EXIT, try_exit)
    setattr(builtins, names.UNESCAPE, unescape)
    setattr(builtins, names.ESCAPING, EscapingFailure)
    setattr(builtins, names.STORE_GUARD, store_guard)
    setattr(builtins, callsites.GUARDED, GUARDED)
    setattr(builtins, changes.INPLACE, inplace)
    setattr(builtins, changes.CHANGING, changing)
    setattr(builtins, names.IS, identical)
    setattr(builtins, names.CONCRETE, concrete)
    setattr(builtins, callsites.TYPE, type)
    setattr(builtins, callsites.ATOMS, frozenset(callsites.ATOM_TYPES))
    for t in callsites.NAMED_TYPES:
        setattr(builtins, callsites.type_name(t), t)
    for name in callsites.PLAIN_BUILTINS | callsites.SHALLOW_BUILTINS | callsites.LAZY_BUILTINS:
        setattr(builtins, callsites.builtin_name(name), getattr(builtins, name))
    setattr(builtins, callsites.NOT_SHALLOW, frozenset({Pending, *_ITERATORS}))
    setattr(builtins, callsites.BIND, bind)
    from opportune.compiler import branches as b
    from opportune.runtime import branching

    setattr(builtins, b.IF_UNDECIDED, branching.undecided)
    setattr(builtins, b.SPEC_ENTER, branching.spec_enter)
    setattr(builtins, b.SPEC_EXIT, branching.spec_exit)
    setattr(builtins, b.SPEC_SAFE, branching.spec_safe)
    setattr(builtins, b.SELECT, branching.select)
    setattr(builtins, b.AND, branching.and_)
    setattr(builtins, b.OR, branching.or_)
    setattr(builtins, b.NOT, branching.not_)
    setattr(builtins, b.IFEXP, branching.ifexp)
    setattr(builtins, b.RETURNED, branching.returned)
    from opportune.compiler import deferral as d
    from opportune.runtime import deferral

    setattr(builtins, d.DEFER_IF, deferral.defer_if)
    setattr(builtins, d.DEFER_LOOP, deferral.defer_loop)
    setattr(builtins, d.CAPTURE, deferral.capture)
    setattr(builtins, d.RESULTS, deferral.arm_results)
    setattr(builtins, d.ASSIGNED_BEFORE, deferral.assigned_before)
    _installed = True
