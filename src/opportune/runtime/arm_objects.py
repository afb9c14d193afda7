"""Lists, dicts and sets that deferred arms change in place, and the program's uses of them.

``hits = []``, then in a loop ``if llm(q) == "yes": hits.append(q)``: the arm runs once its
answer is known, on the real list, while the program goes on to the next iteration's call
(compiler/arm_objects.py says which names qualify). Plain Python's result stays the same
because

- every read of such a name in its function goes through :func:`use`, which first waits for
  the arms deferred before that point that were handed the object; an arm that failed raises
  its error there, as plain Python would have raised it before;
- an arm handed the object starts only once every arm handed it before it in program order
  has run (:meth:`SharedObjects.earlier`), so changes land in program order;
- a use that may keep the object elsewhere (``alias = hits``, ``keep(hits)``, ``return
  hits``) marks it *handed on*: no later arm is deferred on it, as the program could then
  reach it without passing through :func:`use`;
- an arm is deferred on the object only while what it holds cannot change behind the hook's
  back (atoms, tuples of them, pending values: ``spawn._safe`` without copying), and, as it
  may store them there, only while every other value it captured is such a value too: a copy
  of a list the program still changes would otherwise land in the object.
"""

from __future__ import annotations

import builtins
import sys
import threading
from typing import TYPE_CHECKING, Any

from opportune.compiler.arm_objects import LOOKERS
from opportune.runtime import context
from opportune.runtime.externals import SPEC_ATTRIBUTE
from opportune.runtime.values import DONE, FAILED, PENDING, Pending

if TYPE_CHECKING:
    from opportune.runtime.scheduler import Runtime

SHAREABLE = (list, dict, set)
MAX_ITEMS = 2_000  # items checked before an arm is deferred on an object the program used
_Entry = tuple[int, int, Pending]  # the arm's block (lo, hi) and its value


class SharedObjects:
    """The objects deferred arms were handed, per run."""

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._lock = threading.Lock()
        self.entries: dict[int, tuple[Any, list[_Entry]]] = {}
        self.handed_on: dict[int, Any] = {}  # the object is kept: its id is not reused
        self._prune_at = 1024
        # objects whose items were found safe since the program last used them
        self._checked: dict[int, Any] = {}

    def hand_on(self, obj: Any) -> None:
        """(lock held) No arm may be deferred on ``obj`` any more."""
        self.handed_on[id(obj)] = obj
        if len(self.handed_on) > self._prune_at:
            self._prune()

    def _prune(self) -> None:
        """(lock held) Forget handed-on objects nothing else holds any more: a function that
        returns its list on every call would otherwise keep every list it ever made. An
        object is kept here (not its id alone) so that a new list at a freed address is not
        taken for a handed-on one; ``sys.getrefcount`` sees this dict's reference and its own
        argument's."""
        for key in list(self.handed_on):
            obj = self.handed_on[key]
            if sys.getrefcount(obj) <= 3:  # this dict, ``obj``, getrefcount's argument
                del self.handed_on[key]
        obj = None
        self._prune_at = max(1024, 2 * len(self.handed_on))

    def close(self) -> None:
        """The run ended: nothing it deferred can run any more."""
        with self._lock:
            self.entries.clear()
            self._drop_token()

    def refusal(self, name: str, obj: Any, nested: bool = False) -> str | None:
        """Why no arm may be deferred on ``obj`` (held by ``name``) now, or None. ``nested``:
        a dict whose values may also be lists, dicts or sets of such items that only the
        dict holds (``groups.setdefault(k, []).append(v)``: compiler/arm_objects.py made sure
        no read hands one of them to code the hook does not see)."""
        if type(obj) not in SHAREABLE:
            return f"{name!r} holds {type(obj).__name__}, not a list, dict or set"
        if id(obj) in self.handed_on:
            return f"{name!r} was handed on (kept under another name or given to a call)"
        if self._checked.get(id(obj)) is obj:
            return None
        from opportune.runtime.spawn import _safe

        if nested and type(obj) is dict:
            refused = _nested_refusal(name, obj)
            if refused is not None:
                return refused
            self._checked[id(obj)] = obj
            return None
        items = list(obj.items()) if type(obj) is dict else list(obj)
        if len(items) > MAX_ITEMS:
            return f"{name!r} holds more than {MAX_ITEMS} items"
        if not all(_safe(v, False) for v in items):
            return f"{name!r} holds objects the program may still change"
        self._checked[id(obj)] = obj
        return None

    def add(self, obj: Any, lo: int, hi: int, p: Pending) -> None:
        """The arm ``p``, in block ``[lo, hi)``, may change ``obj``."""
        with self._lock:
            if not self.entries:
                context.SHARED_ARMS.append(id(self))
            held = self.entries.get(id(obj))
            if held is None or held[0] is not obj:
                held = (obj, [])
                self.entries[id(obj)] = held
            held[1][:] = [e for e in held[1] if e[2]._state != DONE]
            held[1].append((lo, hi, p))
        self._rt._when_ready([p], lambda: self._ran(obj))

    def _ran(self, obj: Any) -> None:
        """An arm handed ``obj`` finished: forget the arms that ran without failing (one that
        failed stays, for the program to meet); with none left, the reads that only look skip
        the hook again, and what the objects hold is checked afresh at the next arm, since
        the program may have put anything in them meanwhile without the hook seeing it."""
        with self._lock:
            held = self.entries.get(id(obj))
            if held is not None and held[0] is obj:
                held[1][:] = [e for e in held[1] if e[2]._state != DONE]
                if not held[1]:
                    del self.entries[id(obj)]
            self._drop_token()

    def _drop_token(self) -> None:
        """(lock held) With no arm left, the flag the compiled reads test goes down."""
        if not self.entries:
            self._checked.clear()
            try:
                context.SHARED_ARMS.remove(id(self))
            except ValueError:
                pass

    def earlier(self, objs: list[Any], lo: int) -> list[Pending]:
        """The unfinished arms handed one of ``objs`` whose block ends before ``lo``."""
        found: list[Pending] = []
        with self._lock:
            for obj in objs:
                held = self.entries.get(id(obj))
                if held is not None and held[0] is obj:
                    found.extend(p for elo, ehi, p in held[1]
                                 if ehi <= lo and p._state == PENDING)
        return found

    def _before(self, obj: Any, upto: int) -> list[Pending]:
        with self._lock:
            held = self.entries.get(id(obj))
            if held is None or held[0] is not obj:
                return []
            return [p for lo, hi, p in held[1] if hi <= upto and p._state != DONE]

    def use(self, obj: Any, how: Any) -> Any:
        """The code at this point of program order reads ``obj``: wait for the arms before it
        that may change it, meet the failure of one that failed, and note a use that may keep
        it (``how``: see compiler/arm_objects.py). What the code gets: ``obj``, or for an
        external that gets a copy, the copy taken once those arms have run (:meth:`_copy`)."""
        rt = self._rt
        sc = rt.scope()
        upto = sc.next
        if sc is rt._root and _copied(how):
            later = self._copy(obj, upto)
            if later is not None:
                return later
        while True:
            arms = self._before(obj, upto)
            unfinished = [p for p in arms if p._state == PENDING]
            if not unfinished:
                break
            # the last first: it starts only once the earlier ones have run
            rt.wait_for(unfinished[-1],
                        "the program uses an object that a deferred if arm may change")
        failed = [p for p in arms if p._state == FAILED]
        if failed:
            rt.raise_failure(min(failed, key=lambda p: p._seq))
        program = sc is rt._root
        if program:
            self._checked.pop(id(obj), None)  # it may take out or put in any object now
        if how is not None and not _looks(how):
            with self._lock:
                self.hand_on(obj)
                held = self.entries.get(id(obj))
                if held is not None and held[0] is obj and program:
                    del self.entries[id(obj)]
                    self._drop_token()
        return obj

    def _copy(self, obj: Any, upto: int) -> Pending | None:
        """``obj`` handed to an external, which gets a copy of it, while arms before this point
        may still change it: the copy, taken by an arm of its own in a block reserved here, once
        those arms have run (registered on ``obj``, so later arms wait for it), instead of the
        program waiting for them. The external's call waits for the copy as for any pending
        argument. An earlier arm that failed fails the copy with its error, so the call is
        not made, as plain Python never made it. None when nothing is to be waited for."""
        if not any(p._state == PENDING for p in self._before(obj, upto)):
            return None
        from opportune.runtime.deferral import start_arm
        from opportune.runtime.scheduler import OuterFailure
        from opportune.runtime.snapshot import snapshot

        def copy(held: Any) -> Any:
            failed = [p for p in self._before(held, upto) if p._state == FAILED]
            if failed:
                first = min(failed, key=lambda p: p._seq)
                raise OuterFailure(first._value, first._origin)
            return snapshot((held,))[0]

        return start_arm(self._rt, True, (obj,), lambda _: copy, frozenset(),
                         "copy for an external", frozenset({0}))


def _nested_refusal(name: str, obj: dict[Any, Any]) -> str | None:
    """Why the dict ``obj`` may not be shared with arms that change the containers it holds,
    or None: its keys and the items of its values must be atoms (as ``spawn._safe`` finds
    them, without copying), and a value that is a list, dict or set must be held by the dict
    alone (its reference count: the dict's slot, ``value`` here and the count's argument), so
    that the program can reach it only through a read of the dict, which the hook sees."""
    from opportune.runtime.spawn import _safe

    seen = 0
    for key in list(obj):
        value = obj[key]
        if not _safe(key, False):
            return f"{name!r} holds objects the program may still change"
        if type(value) in SHAREABLE:
            if sys.getrefcount(value) > 3:
                return f"{name!r} holds a container that is also held elsewhere"
            items = list(value.items()) if type(value) is dict else list(value)
            seen += len(items)
            if not all(_safe(v, False) for v in items):
                return f"{name!r} holds objects the program may still change"
        elif not _safe(value, False):
            return f"{name!r} holds objects the program may still change"
        seen += 1
        if seen > MAX_ITEMS:
            return f"{name!r} holds more than {MAX_ITEMS} items"
    return None


def _copied(how: Any) -> bool:
    """Whether ``how`` is an external that gets a copy of what it is handed."""
    spec = getattr(how, SPEC_ATTRIBUTE, None)
    return spec is not None and not spec.waited_for and not spec.changed_params


def _looks(how: Any) -> bool:
    """Whether handing the object to ``how`` keeps it nowhere: one of the builtins that only
    look at it, or an external, which gets a copy of plain data."""
    if how is True:
        return False
    name = getattr(how, "__name__", None)
    if name in LOOKERS and getattr(builtins, name, None) is how:
        return True
    spec = getattr(how, SPEC_ATTRIBUTE, None)
    return spec is not None and not spec.waited_for and not spec.changed_params


def use(obj: Any, how: Any = None) -> Any:
    """``__opportune_arm_object__(name[, how])``: ``name``'s object, once the deferred arms
    that may change it have (see :class:`SharedObjects`)."""
    rt = getattr(context._local, "runtime", None)
    if rt is None:
        return obj
    table = rt.shared_objects
    if how is None and not table.entries:
        return obj
    return table.use(obj, how)


def lookers_are_builtins(params: tuple[str, ...], held: tuple[Any, ...]) -> bool:
    """Whether every name among an arm's captured names that it may hand a shared object to
    (``len``, ``print``) still holds that builtin."""
    return all(v is getattr(builtins, n) for n, v in zip(params, held) if n in LOOKERS)
