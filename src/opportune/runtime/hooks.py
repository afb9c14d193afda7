"""The names compiled code calls, installed once as builtins.

Compiled code must keep working where no runtime drives the thread (a worker thread running an
external's body, a thread the user started, code called after the run): every hook then does
exactly what plain Python would.
"""

from __future__ import annotations

import builtins
import functools
import io
import sys
import types
from collections.abc import Callable
from typing import Any

from opportune.compiler import callsites, changes, tries
from opportune.compiler import rollback as rollback_names
from opportune.compiler import transform as names
from opportune.runtime import catching
from opportune.runtime.caches import cached_property
from opportune.runtime.context import GUARDED, LIVE, SHARED_ARMS, _local
from opportune.runtime.dispatch import _ITERATORS, call, fstring, percent
from opportune.runtime.managers import inert
from opportune.runtime.scheduler import EscapingFailure
from opportune.runtime.snapshot import fill, fill_in_place
from opportune.runtime.values import ATOM_TYPES, PENDING, Pending, is_immutable


def try_enter(*managers: Any) -> int:
    """A ``try`` body begins (no managers) or a ``with`` body (its managers, see managers.py)."""
    rt = getattr(_local, "runtime", None)
    if rt is None:
        return 0
    mark = rt.try_enter(not managers or not all(map(inert, managers)))
    if rt.files and any(_may_close_a_file(rt, m) for m in managers):
        rt.file_marks.add(_body_key(rt, mark))
    return mark


def _may_close_a_file(rt: Any, manager: Any) -> bool:
    """Whether ``manager``'s ``__exit__`` may close a file with queued writes without a call
    the program makes: the file itself, or a ``contextlib`` manager (an ``ExitStack`` the
    file was entered into, ``closing(f)``). The program's own ``__exit__`` is compiled: its
    ``f.close()`` writes the queue first as any call does."""
    if type(manager) is io.TextIOWrapper:
        return manager in rt.files
    return type(manager).__module__ == "contextlib"


def _body_key(rt: Any, mark: int) -> tuple[int, int, int]:
    """The ``with`` body open at ``mark`` at this depth of bodies: nested bodies entered
    with nothing issued in between share a mark (a ``try`` right inside the ``with``)."""
    sc = rt.scope()
    return id(sc), mark, len(sc.try_marks)


def try_exit(mark: int) -> None:
    """A ``try`` or ``with`` body ends. A ``with`` body closing a file with queued writes
    (runtime/files.py) writes them first, also when the body's failure is leaving: the
    file then holds what plain Python had written before the failure."""
    rt = getattr(_local, "runtime", None)
    if rt is None:
        return
    if not rt.file_marks:
        rt.try_exit(mark)
        return
    key = _body_key(rt, mark)
    if key not in rt.file_marks:
        rt.try_exit(mark)
        return
    rt.file_marks.discard(key)
    try:
        rt.try_exit(mark)
    finally:
        rt.flush_files("leaving a with block closes a file with queued writes", meet=False)


def try_outcome(mark: int, ok: bool, kinds: Any, reads: bool = False) -> Any:
    """The body of a ``try`` turned into a branch is left (compiler/tries.py): None, the
    exception its handler catches, or a pending value that becomes one of those. ``reads``:
    the handler reads the exception through its ``as`` name."""
    rt = getattr(_local, "runtime", None)
    if rt is None:
        return None
    return rt.try_outcome(mark, ok, kinds, reads)


def try_clause(outcome: Any, clauses: tuple[Callable[[], Any], ...]) -> Any:
    """Which ``except`` clause of a ``try`` turned into a branch catches its outcome
    (compiler/tries.py): 0 when the outcome is None, else the number of the first clause
    whose classes are among the exception's class's ``__mro__``, as the interpreter tests
    the clauses in order (reading each only once the earlier ones did not match); pending
    while the outcome is, and failing with it."""
    if type(outcome) is Pending and outcome._state != 1 \
            and getattr(_local, "runtime", None) is not None:
        return outcome._rt._derive(lambda: _clause(_real(outcome), clauses), [outcome],
                                   "except clause", int)
    if type(outcome) is Pending:
        outcome = outcome._force()
    return _clause(outcome, clauses)


def _clause(error: Any, clauses: tuple[Callable[[], Any], ...]) -> int:
    if error is None:
        return 0
    for i, kinds in enumerate(clauses, 1):
        classes = catching.classes_of(kinds())
        if classes is not None and catching.matches(error, classes):
            return i
    return 0  # not reached: the outcome holds only failures some clause catches


def entered(mark: int) -> bool:
    """At the start of a ``finally``: False when the exception passing through is the failure
    of a call made before its ``try`` began (an escaping one): plain Python raised it before
    reaching the statement, so the ``finally`` never ran."""
    passing = sys.exc_info()[1]
    return type(passing) is not EscapingFailure or passing.origin >= mark


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


def _helper_name(key: Any) -> bool:
    return type(key) is str and key.startswith(names.HELPER_PREFIX)


def hide(view: Any) -> Any:
    """``locals()``, ``vars()`` or ``dir()`` as plain Python shows them: without the names the
    compiler binds for its own use (compiler/transform.py)."""
    if type(view) is dict:
        if any(_helper_name(k) for k in view):
            return {k: v for k, v in view.items() if not _helper_name(k)}
        return view
    if type(view) is list:
        return [k for k in view if not _helper_name(k)]
    return view


def forget(namespace: dict[str, Any], helpers: tuple[str, ...]) -> None:
    """Removes helper names from a module's namespace once the code that used them is done."""
    for name in helpers:
        namespace.pop(name, None)


def rebound(mark: int, name: str, value: Any, old: Any) -> Any:
    """``name := value`` in a ``try`` body: journals the name's old value (``old()`` reads it)
    right before it is rebound, see compiler/rollback.py."""
    if journal(mark):
        try:
            previous = old()
        except NameError:
            previous = UNBOUND
        keep(mark, name, previous)
    return value


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


def restore(mark: int) -> dict[str, Any]:
    """After a ``with`` whose manager suppressed a failure, or as a ``finally`` starts: the
    names to put back (Runtime.restore)."""
    rt = getattr(_local, "runtime", None)
    if rt is None or mark == 0:
        return {}
    return rt.restore(mark)


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
_KEYS = frozenset({int, str, bytes, bool, type(None)})
_NOTHING = object()


def _inside(obj: Any, key: Any, attribute: bool) -> Any:
    """What ``obj.key`` (``attribute``) or ``obj[key]`` holds, when reading it again cannot
    run any code of the program's (plain containers with atom keys, an attribute held in an
    object's, class's or module's own namespace and not behind a descriptor or a custom
    lookup); :data:`_NOTHING` otherwise."""
    t = type(obj)
    if not attribute:
        if t is dict and type(key) in _KEYS:
            return obj.get(key, _NOTHING)
        if t is list and type(key) is int and -len(obj) <= key < len(obj):
            return obj[key]
        return _NOTHING
    if t is types.ModuleType:
        return obj.__dict__.get(key, _NOTHING)
    if t is type:
        return obj.__dict__.get(key, _NOTHING)  # a mappingproxy; inherited ones are not changed
    namespace = getattr(obj, "__dict__", None)
    if type(namespace) is not dict or t.__getattribute__ is not object.__getattribute__ \
            or hasattr(getattr(t, key, None), "__set__"):
        return _NOTHING
    return namespace.get(key, _NOTHING)


def owner(obj: Any, key: Any = _NOTHING, attribute: bool = False) -> Any:
    """``obj`` is the object a store or deletion through a target that is not a plain name
    changes (``a.b[0] = v``: ``a.b``), evaluated once; wait for the code running
    concurrently that still reads it (runtime/readers.py). With ``key``: ``obj.key op= v``
    or ``obj[key] op= v``, which may also change the old value in place."""
    rt = getattr(_local, "runtime", None)
    if rt is not None and rt.readers.entries:
        rt.readers.before_change(obj)
        if key is not _NOTHING and type(obj) is not Pending:
            old = _inside(obj, key, attribute)
            if old is not _NOTHING and type(old) not in _UNCHANGEABLE:
                rt.readers.before_change(old)
    return obj


def target(obj: Any) -> Any:
    """``obj`` is the object a ``for``, ``with ... as`` or comprehension target that is not a
    plain name stores into (``for self.item in items``: ``self``), evaluated once and where
    Python evaluates it, just before the store. No store guard wraps a value there, so this
    asks both questions a store asks: inside a ``try`` or ``with`` body the calls issued
    since it began settle first (Runtime.settle_for_effect), and code running concurrently
    that still reads ``obj`` is waited for (runtime/readers.py)."""
    rt = getattr(_local, "runtime", None)
    if rt is not None:
        if rt._guard_marks:
            rt.settle_for_effect(())
        if rt.readers.entries:
            rt.readers.before_change(obj)  # a pending one checks once it has its value
    return obj


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


_CO_OPTIMIZED = 0x0001  # inspect.CO_OPTIMIZED: the code of a function, not a module or class


def changing_globals(names: tuple[str, ...] = ()) -> None:
    """A function is about to rebind ``names``, which it declares ``global``, or top-level code
    names that functions of its module load: its module's namespace changes, which code
    running concurrently may read as ``module.NAME`` or through such a function.

    A function's rebinding inside a ``try`` or ``with`` body (at any depth of calls) is a
    change to program state as any other (rule 2 of *Exceptions*): it first waits for the
    calls issued in the body, so that when one of them fails the change is never made, as in
    plain Python (``count += 1`` after a failing call would otherwise count it). Top-level
    bindings are the scope's own names, which its journal puts back."""
    rt = getattr(_local, "runtime", None)
    if rt is None:
        return
    frame = sys._getframe(1)
    if rt._guard_marks and frame.f_code.co_flags & _CO_OPTIMIZED:
        rt.settle_for_effect(())
    if rt.readers.entries:
        rt.readers.before_rebinding(frame.f_globals, names)


def changing_closure() -> None:
    """A function is about to rebind a name it declares ``nonlocal``: inside a ``try`` or
    ``with`` body, a change to program state, which first waits for the body's calls (see
    :func:`changing_globals`)."""
    rt = getattr(_local, "runtime", None)
    if rt is not None and rt._guard_marks:
        rt.settle_for_effect(())


def telling(value: Any, names: tuple[str, ...]) -> Any:
    """Top-level code is about to bind ``names`` to ``value`` (``LIMIT = count(words)``,
    ``except E as LIMIT``, a ``case`` capture, ``(LIMIT := v)``), evaluated by now: as
    :func:`changing_globals`, after the value, which may itself have started a reader."""
    rt = getattr(_local, "runtime", None)
    if rt is not None and rt.readers.entries:
        rt.readers.before_rebinding(sys._getframe(1).f_globals, names)
    return value


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
            # compared as they are: ``derive_op`` would hand it a copy of a list operand, and
            # ``max(seq, default=answer) is seq[0]`` found the very item not to be itself
            inputs = [x for x in (a, b) if type(x) is Pending]
            return v._rt._derive(lambda: (_real(a) is not _real(b)) if negate
                                 else (_real(a) is _real(b)), inputs, "is", bool)
    if type(a) is Pending:
        a = a._force()
    if type(b) is Pending:
        b = b._force()
    return (a is not b) if negate else (a is b)


def _real(value: Any) -> Any:
    """A finished value's object itself (``_derive`` calls back once every input is done)."""
    return value._value if type(value) is Pending else value


# Containers whose membership test compiled code makes inline when the item is not pending
# (``k in d`` in a loop): nothing pending can hide in them where ``in`` looks.
_IN_AT_ONCE = (str, bytes, dict, set, frozenset, range)
_IN_PLAIN = frozenset(_IN_AT_ONCE)
# Containers whose membership test only compares or hashes: with a pending item, ``item in c``
# is a derived value computed once the item exists (``_derived_membership``).
_MEMBERSHIP_CONTAINERS = frozenset({str, bytes, tuple, list, dict, set, frozenset, range})
# Of those, the ones the program can change in place: the derived test reads them when the item
# exists, so a change meanwhile waits for it (runtime/readers.py).
_CHANGEABLE_CONTAINERS = frozenset({list, dict, set})


def _contains(container: Any, item: Any) -> bool:
    return item in container


def _not_contains(container: Any, item: Any) -> bool:
    return item not in container


def contains(item: Any, container: Any, negate: bool) -> Any:
    """``item in container`` (``not in`` with ``negate``). ``__contains__`` must answer a real
    bool (the interpreter converts whatever it returns), so ``in`` on a pending value would wait
    for it at once; compiled code calls this instead, which answers a derived value while an
    operand, or an item of a list or tuple it searches, is still being computed. Once computed
    the test is the same Python ``in`` on the real values, so its result and any error it raises
    (``1 in "abc"``) are plain Python's, met where the program next needs the value."""
    tc = type(container)
    if type(item) is not Pending:
        if tc is not Pending and (tc is not list and tc is not tuple or not LIVE
                                  or not _holds_unfinished(container)):
            return (item not in container) if negate else (item in container)
    elif tc is not Pending and tc not in _MEMBERSHIP_CONTAINERS:
        # the program's own container: its ``__contains__`` gets the item as it is, now
        return (item not in container) if negate else (item in container)
    if tc is not Pending and tc in _HOLDERS and not _compares_plainly(container):
        # an item of the program's class may run code of its own (``__eq__``, ``__hash__``:
        # a print): tested later, on another thread, it would run out of program order (p602)
        if type(item) is Pending:
            item = item._force()
        return (item not in container) if negate else (item in container)
    if type(item) is not Pending and not _compares_plainly((item,)):
        # the item's own ``__eq__`` may be the program's (``Tag("x") in answers``, p607):
        # tested now, on the values
        container = container._force() if tc is Pending else fill(container)
        return (item not in container) if negate else (item in container)
    if tc is Pending and container._type not in _MEMBERSHIP_CONTAINERS:
        # A value of a class not known yet may be an iterator, which ``in`` consumes: tested
        # later, it would race the program's own ``next()`` on it. Only containers whose test
        # just compares are tested later; anything else is searched here, once it exists.
        return contains(item, container._force(), negate)
    rt = getattr(_local, "runtime", None)
    if rt is None:
        return (item not in container) if negate else (item in container)
    return _derived_membership(rt, item, container, negate)


# Containers whose test compares with their items (a dict its keys): ``_compares_plainly``.
_HOLDERS = frozenset({list, tuple, set, frozenset, dict})
_PLAIN_ITEMS = frozenset({*ATOM_TYPES, Pending})


def _compares_plainly(container: Any, depth: int = 0) -> bool:
    """Whether ``item in container`` compares or hashes only values whose ``__eq__`` and
    ``__hash__`` are CPython's own (text, numbers, ``None``, tuples of them, values still
    being computed), so the test may run later, on another thread, without running code of
    the program's there. Asked only on the lazy path, which copies the container anyway."""
    if depth > 4:
        return False
    for v in (container.keys() if type(container) is dict else container):
        tv = type(v)
        if tv not in _PLAIN_ITEMS and not (tv is tuple and _compares_plainly(v, depth + 1)):
            return False
    return True


def _holds_unfinished(container: list[Any] | tuple[Any, ...]) -> bool:
    """Whether a list or tuple holds a value still being computed (``x in answers``), asked
    only while some value is (``context.LIVE``)."""
    for v in container:
        if type(v) is Pending and v._state == PENDING:
            return True
    return False


def _derived_membership(rt: Any, item: Any, container: Any, negate: bool) -> Any:
    test = _not_contains if negate else _contains
    label = "not in" if negate else "in"
    result = rt.derive_call(test, (container, item), {}, label, bool)
    if type(result) is not Pending or result._state != PENDING or result._speculative:
        return result
    if type(container) in _CHANGEABLE_CONTAINERS:
        # ``llm(q) in seen``: the test reads ``seen`` once the answer exists, as plain Python
        # read it at the ``in``; a change the program makes to it meanwhile waits (p423)
        rt.readers.add_object_reader(result, container)
    elif type(container) is Pending and not is_immutable(container):
        # ``"k" in table`` on a pending dict: the program may change it as soon as it exists,
        # before the test ran on the loop thread; that change waits (dispatch._read_later)
        rt.readers.add_value_reader(result, container)
    return result


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
    setattr(builtins, names.PERCENT, percent)
    setattr(builtins, names.TRY_ENTER, try_enter)
    setattr(builtins, rollback_names.JOURNAL, journal)
    setattr(builtins, rollback_names.KEEP, keep)
    setattr(builtins, rollback_names.ROLLBACK, rollback)
    setattr(builtins, rollback_names.RESTORE, restore)
    setattr(builtins, rollback_names.REBOUND, rebound)
    setattr(builtins, rollback_names.UNBOUND, UNBOUND)
    setattr(builtins, names.TRY_EXIT, try_exit)
    setattr(builtins, tries.TRY_OUTCOME, try_outcome)
    setattr(builtins, tries.TRY_CLAUSE, try_clause)
    setattr(builtins, names.HIDE, hide)
    setattr(builtins, names.FORGET, forget)
    setattr(builtins, names.UNESCAPE, unescape)
    setattr(builtins, names.ENTERED, entered)
    setattr(builtins, names.ESCAPING, EscapingFailure)
    setattr(builtins, names.STORE_GUARD, store_guard)
    from opportune.runtime import generators

    setattr(builtins, names.GENERATOR, generators.generator)
    setattr(builtins, names.RESUMED, generators.resumed)
    setattr(builtins, names.GENERATOR_ENDED, generators.GeneratorEnded)
    setattr(builtins, names.GENEXP_SOURCE, generators.GenexpSource)
    from opportune.runtime import iterators
    from opportune.runtime.context import GUARD_OPEN

    setattr(builtins, names.ITERATE, iterators.iterate)
    setattr(builtins, names.GUARD_OPEN, GUARD_OPEN)
    setattr(builtins, callsites.GUARDED, GUARDED)
    setattr(builtins, changes.INPLACE, inplace)
    setattr(builtins, changes.CHANGING, changing)
    setattr(builtins, changes.OWNER, owner)
    setattr(builtins, changes.TARGET, target)
    setattr(builtins, changes.GLOBALS, changing_globals)
    setattr(builtins, changes.CLOSURE, changing_closure)
    setattr(builtins, changes.TELLING, telling)
    setattr(builtins, names.IS, identical)
    setattr(builtins, names.IN, contains)
    setattr(builtins, names.IN_PLAIN, _IN_PLAIN)
    setattr(builtins, names.LIVE, LIVE)
    setattr(builtins, names.PENDING, Pending)
    setattr(builtins, names.CONCRETE, concrete)
    setattr(builtins, names.CACHED_PROPERTY, cached_property)
    setattr(builtins, callsites.TYPE, type)
    setattr(builtins, callsites.ATOMS, frozenset(callsites.ATOM_TYPES))
    for t in callsites.NAMED_TYPES:
        setattr(builtins, callsites.type_name(t), t)
    for name in callsites.PLAIN_BUILTINS | callsites.SHALLOW_BUILTINS | callsites.LAZY_BUILTINS:
        setattr(builtins, callsites.builtin_name(name), getattr(builtins, name))
    setattr(builtins, callsites.NOT_SHALLOW, frozenset({Pending, *_ITERATORS}))
    setattr(builtins, callsites.BIND, bind)
    from opportune.compiler import stages

    stages.install()
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
    setattr(builtins, b.ANY_ALL, branching.any_all)
    setattr(builtins, b.RETURNED, branching.returned)
    from opportune.compiler import deferral as d
    from opportune.runtime import deferral

    setattr(builtins, d.DEFER_IF, deferral.defer_if)
    setattr(builtins, d.DEFER_LOOP, deferral.defer_loop)
    setattr(builtins, d.CAPTURE, deferral.capture)
    setattr(builtins, d.RESULTS, deferral.arm_results)
    setattr(builtins, d.ASSIGNED_BEFORE, deferral.assigned_before)
    from opportune.compiler import arm_objects as ao
    from opportune.runtime import arm_objects

    setattr(builtins, ao.USE, arm_objects.use)
    setattr(builtins, ao.LIVE, SHARED_ARMS)
    _installed = True
