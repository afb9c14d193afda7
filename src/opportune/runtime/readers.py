"""Objects that code running concurrently still has to read: the program must not change them.

A concurrently running function or deferred branch arm gets copies of the program's containers,
so the program's later changes cannot reach it. A pending value cannot be copied: it has no
value yet. Once it has one, the program (which goes on meanwhile) may change that very object in
place (``hits.append(x)`` after a loop over ``hits`` was deferred) while the concurrent code is
about to read it. Every such change first asks :meth:`ConcurrentReaders.before_change`, which
waits until each concurrent reader that can reach the object through one of its pending values
has finished, exactly as if it had run where plain Python runs it.

``x op= y`` on a real list or dict and ``del x[k]`` are seen through compiler/changes.py, and
container methods that compiled call sites call directly (``row.append(1)`` on a real list,
compiler/callsites.py) take the hook while a reader is registered: :meth:`add` puts a token into
``context.GUARDED``, which those sites test. Not seen: changes made by library code that is not
classified as changing its arguments, and stores or deletions through a target that is not a
plain name (``a.b[0] = 1``), whose owner is not passed to the guard.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from opportune.runtime import context
from opportune.runtime.snapshot import collect
from opportune.runtime.values import DONE, PENDING, Pending

if TYPE_CHECKING:
    from opportune.runtime.scheduler import Runtime, Scope

_SEARCH_BUDGET = 2000
_LIST_BUDGET = 20000
_CONTAINERS = (list, tuple, set, frozenset)


def _push_inside(value: Any, stack: list[Any]) -> None:
    """Push what lies directly inside ``value`` (a finished pending value's value, a
    container's items, a dict's keys and values, an object's attributes) onto ``stack``."""
    t = type(value)
    if t is Pending:
        if value._state == DONE:
            stack.append(value._value)
    elif t in _CONTAINERS:
        stack.extend(value)
    elif t is dict:
        stack.extend(value.keys())
        stack.extend(value.values())
    elif t not in (str, bytes, int, float, bool, type(None)):
        attributes = getattr(value, "__dict__", None)
        if type(attributes) is dict:
            stack.extend(attributes.values())


def reachable(root: Any, budget: int = _LIST_BUDGET) -> tuple[frozenset[int] | None, bool]:
    """The ids of every object inside ``root`` (containers and object attributes), or None
    when there are more than ``budget`` (then anything may be inside, the safe side); and
    whether that is final: not if a pending value inside has no value yet."""
    stack = [root]
    seen: set[int] = set()
    final = True
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if len(seen) > budget:
            return None, True
        if type(value) is Pending and value._state == PENDING:
            final = False
        _push_inside(value, stack)
    return frozenset(seen), final


def reaches(root: Any, target: Any) -> bool:
    """Whether ``target`` is ``root`` or lies inside it (containers and object attributes,
    within a bounded search: past the budget the answer is yes, the safe side)."""
    stack = [root]
    seen: set[int] = set()
    budget = _SEARCH_BUDGET
    while stack:
        value = stack.pop()
        if value is target:
            return True
        if id(value) in seen:
            continue
        seen.add(id(value))
        budget -= 1
        if budget < 0:
            return True
        _push_inside(value, stack)
    return False


class ConcurrentReaders:
    """The pending values each running concurrent block was handed, until it has finished."""

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._lock = threading.Lock()
        # guard seq -> (guard, block lo, block hi, pending values it was handed); empty when
        # nothing runs concurrently, which hot paths test directly (no method call)
        self.entries: dict[int, tuple[Pending, int, int, list[Pending]]] = {}
        # id of a handed pending value (kept alive by its entry) -> what its value reaches,
        # found once: the graph can only grow through a change to an object already in it,
        # and such a change first waits here for the reader, which then drops its entry
        # (the value holds the pending value itself, so a reused id is never mistaken for it)
        self._reach: dict[int, tuple[Pending, frozenset[int] | None]] = {}

    def add(self, guard: Pending, block: Scope, handed: Any) -> None:
        """``block`` reads ``handed`` until ``guard`` finishes."""
        found: list[Pending] = []
        collect(handed, found)
        if not found:
            return
        with self._lock:
            self.entries[guard._seq] = (guard, block.lo, block.hi, found)
            context.GUARDED.append(guard._seq)
        self._rt._when_ready([guard], lambda: self._drop(guard._seq))

    def add_value_reader(self, guard: Pending, receiver: Pending) -> None:
        """A derived value (``d.get(k)`` on a pending dict, dispatch._read_later) reads
        ``receiver`` when it exists, until ``guard`` finishes. It occupies no block of program
        order (``lo == hi``), so every change the program makes counts as after it."""
        with self._lock:
            self.entries[guard._seq] = (guard, guard._seq, guard._seq, [receiver])
        self._rt._when_ready([guard], lambda: self._drop(guard._seq))

    def add_global_reader(self, guard: Pending, objects: tuple[Any, ...]) -> None:
        """An external call reads ``objects`` (what the module-level names in its body hold)
        until ``guard`` finishes. Plain Python ran its body before the program's next
        statement, so a change the program makes to them meanwhile waits for the call (p352).
        Like :meth:`add_value_reader`, it occupies no block of program order."""
        holder = Pending(self._rt, guard._seq, "what a call reads")
        object.__setattr__(holder, "_state", DONE)
        object.__setattr__(holder, "_value", objects)
        with self._lock:
            self.entries[guard._seq] = (guard, guard._seq, guard._seq, [holder])
            context.GUARDED.append(guard._seq)
        self._rt._when_ready([guard], lambda: self._drop(guard._seq))

    def _drop(self, seq: int) -> None:
        with self._lock:
            entry = self.entries.pop(seq, None)
            if entry is not None:
                for p in entry[3]:
                    if not any(q is p for other in self.entries.values() for q in other[3]):
                        self._reach.pop(id(p), None)
                try:
                    context.GUARDED.remove(seq)
                except ValueError:
                    pass

    def _reaches(self, p: Pending, obj: Any) -> bool:
        cached = self._reach.get(id(p))
        if cached is not None and cached[0] is p:
            found = cached[1]
        else:
            found, final = reachable(p._value)
            if not final:  # a value inside may still arrive: search each time instead
                return reaches(p._value, obj)
            self._reach[id(p)] = (p, found)
        return found is None or id(obj) in found

    def before_change(self, obj: Any) -> None:
        """The program is about to change ``obj`` in place: wait for the concurrent blocks
        that may still read it."""
        if type(obj) is Pending:
            if obj._state != DONE:
                return  # no one has its value yet; the change itself will wait for it
            obj = obj._value
        if type(obj) in (str, bytes, int, float, bool, type(None), tuple, frozenset):
            return
        scope = self._rt.scope()
        here, now = scope.lo, scope.next
        with self._lock:
            entries = list(self.entries.values())
        for guard, lo, hi, handed in entries:
            if lo <= here < hi or guard._state != PENDING or lo > now:
                continue  # made by that block itself, or it has finished, or comes later
            if any(p._state == DONE and self._reaches(p, obj) for p in handed):
                self._rt.wait_for(guard, "the program changes an object that code running "
                                         "concurrently has yet to read")
