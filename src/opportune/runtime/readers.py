"""Objects that code running concurrently still has to read: the program must not change them.

A concurrently running function or deferred branch arm gets copies of the program's containers,
so the program's later changes cannot reach it. Two kinds of objects it reads are not copied:

* a pending value, which has no value yet. Once it has one, the program (which goes on
  meanwhile) may change that very object in place (``hits.append(x)`` after a loop over
  ``hits`` was deferred) while the concurrent code is about to read it;
* the program's classes and modules, and frozen dataclass instances, which it may hold (they
  cannot change through a copy it was given) and whose attributes it reads when its body runs:
  ``Config.MODE``, ``settings.LIMIT``, ``cfg.items``. Its *shared roots*
  (:func:`shared_roots`), found when it starts.

Every such change first asks :meth:`ConcurrentReaders.before_change`, which waits until each
concurrent reader that can reach the changed object through one of its pending values or
shared roots has finished, exactly as if it had run where plain Python runs it.

``x op= y`` on a real list or dict and ``del x[k]`` are seen through compiler/changes.py, stores
into an attribute or item (``Config.MODE = v``, ``a.b[0] = v``: the object stored into is named,
its expression evaluated once) through compiler/transform.py, stores through ``for``, ``with``
and comprehension targets (``for self.item in items``) through compiler/changes.py, and
container methods that compiled call sites call directly (``row.append(1)`` on a real list,
compiler/callsites.py; ``hits.sort(key=...)`` and the other changing methods of lists, dicts
and sets that dispatch counts as LOCAL, whose own container is no argument) take the hook
while a reader is registered: :meth:`add` puts a token into ``context.GUARDED``, which those
sites test; so does a function's rebinding of a name it
declares ``global``, and a top-level rebinding of a name the module's functions load, which
change its module's namespace (reached through the functions met on the way, see
:func:`_push_function`). Not seen: changes made by library code that is not classified as
changing its arguments, and a module's globals rebound where neither the compiler nor the
namespace's dict methods see it (``exec``, ``setattr`` on the module from library code).
A change to the namespace through the dict API (``globals()[name] = v``,
``globals().update(...)``) is a change to the dict, which counts as reached whenever one of
its names is read (:data:`ANY_NAME`).
"""

from __future__ import annotations

import dis
import sys
import threading
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from opportune.compiler.registry import is_compiled_code
from opportune.runtime import context
from opportune.runtime.snapshot import collect
from opportune.runtime.values import ATOM_TYPES, DONE, PENDING, Pending

if TYPE_CHECKING:
    from opportune.runtime.scheduler import Runtime, Scope

_SEARCH_BUDGET = 2000
_LIST_BUDGET = 20000
_CONTAINERS = (list, tuple, set, frozenset)


def _push_inside(value: Any, stack: list[Any]) -> None:
    """Push what lies directly inside ``value`` (a finished pending value's value, a
    container's items, a dict's keys and values, an object's attribute dict) onto ``stack``."""
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
            # the dict itself too: ``vars(doc).update(...)`` and ``doc.__dict__[k] = v``
            # change the object through it
            stack.append(attributes)


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


def _program_owned(module: str | None) -> bool:
    """Whether a class or module named ``module`` is the program's own (not a library's,
    whose objects are services, see runtime/spawn.py)."""
    if module == "__main__":
        return True
    from opportune.compiler.functions import is_user_module

    return is_user_module(module)


def _program_instance(value: Any) -> bool:
    cls = type(value)
    return (isinstance(getattr(value, "__dict__", None), dict) or hasattr(cls, "__slots__")) \
        and _program_owned(getattr(cls, "__module__", None))


def _attribute_values(value: Any) -> list[Any]:
    """The values of an object's own attributes: its ``__dict__`` and its slots (read through
    their descriptors, which run no code of the program's)."""
    found: list[Any] = []
    namespace = getattr(value, "__dict__", None)
    if type(namespace) is dict:
        found.extend(namespace.values())
    for klass in type(value).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            member = klass.__dict__.get(name)
            if type(member) is types.MemberDescriptorType:
                try:
                    found.append(member.__get__(value, klass))
                except AttributeError:
                    pass  # an empty slot
    return found


def shared_roots(values: Any, twins: Any = (), pending: list[Pending] | None = None
                 ) -> list[Any]:
    """The objects with attributes that code handed ``values`` reads without a copy: the
    program's classes and modules and its objects (frozen dataclass instances, which
    runtime/spawn.py lets through) found in them, through containers and bound methods, and
    through the fixed globals, closure cells and defaults of ``twins`` (the pinned functions,
    runtime/spawn.pinned). A compiled function that is not pinned (one held in a container)
    is a root too: it reads its module's globals when it runs (:func:`_push_function`).
    The pending values met on the way (a global ``HITS = search(q)`` the function reads) are
    appended to ``pending``: they are read as handed ones are."""
    twin_ids = {id(t) for t in twins}
    stack = [values]
    seen: set[int] = set()
    roots: list[Any] = []
    while stack:
        value = stack.pop()
        t = type(value)
        if t is Pending:
            if pending is not None:
                pending.append(value)
            continue
        if t in ATOM_TYPES or id(value) in seen:
            continue
        seen.add(id(value))
        if t in _CONTAINERS:
            stack.extend(value)
        elif t is dict:
            stack.extend(value.keys())
            stack.extend(value.values())
        elif t is types.FunctionType:
            if id(value) in twin_ids:
                stack.extend(v for k, v in value.__globals__.items() if k != "__builtins__")
                _push_own_objects(value, stack)
            elif is_compiled_code(value.__code__):
                roots.append(value)  # not pinned: it reads its module's globals when it runs
        elif t is types.MethodType:
            stack.append(value.__func__)
            stack.append(value.__self__)
        elif isinstance(value, type):
            if _program_owned(getattr(value, "__module__", None)):
                roots.append(value)
        elif t is types.ModuleType:
            if _program_owned(value.__name__):
                roots.append(value)
        elif _program_instance(value):
            roots.append(value)
    return roots


_GLOBAL_NAMES: dict[int, tuple[types.CodeType, tuple[str, ...]]] = {}


_GLOBAL_OPS = frozenset({"LOAD_GLOBAL", "STORE_GLOBAL", "DELETE_GLOBAL"})


def _global_names(code: types.CodeType) -> tuple[str, ...]:
    """The names ``code`` (nested code included) reads or rebinds in its globals, from its
    instructions (``co_names`` alone holds attribute names too), worked out once per code."""
    cached = _GLOBAL_NAMES.get(id(code))
    if cached is not None and cached[0] is code:
        return cached[1]
    names: set[str] = set()
    stack = [code]
    while stack:
        c = stack.pop()
        names.update(i.argval for i in dis.get_instructions(c) if i.opname in _GLOBAL_OPS)
        stack.extend(k for k in c.co_consts if type(k) is types.CodeType)
    found = tuple(n for n in names if not (n.startswith("__") and n.endswith("__")))
    _GLOBAL_NAMES[id(code)] = (code, found)
    return found


def _push_function(fn: types.FunctionType, stack: list[Any], seen: set[int]) -> None:
    """A compiled function of the program reached through an attribute (a method, a static
    method, a class's ``__init__``, a function held in an object) runs with its module's
    globals as they are when it runs, not pinned at the call (runtime/spawn.pinned). Each name
    its code may load counts as read in that namespace (``(id(namespace), name)``, see
    :meth:`ConcurrentReaders.before_rebinding`), so rebinding it (``LIMIT = 2`` at the top
    level, a ``global`` rebound: compiler/changes.py) waits, and so does a store into its
    module (``settings.LIMIT = 2``); what those names hold, its closure cells and defaults are
    reached too. Library functions are not followed."""
    if not is_compiled_code(fn.__code__):
        return
    g = fn.__globals__
    module = sys.modules.get(g.get("__name__"))  # type: ignore[arg-type]
    if module is not None and getattr(module, "__dict__", None) is g:
        seen.add(id(module))  # ``settings.LIMIT = v`` names the module, not its namespace
    key = id(g)
    # a change through the namespace as a dict (``globals()["LIMIT"] = v``,
    # ``globals().update(...)``, ``del globals()[k]``) may rebind any of these names
    seen.add((key, ANY_NAME))  # type: ignore[arg-type]
    for name in _global_names(fn.__code__):
        seen.add((key, name))  # type: ignore[arg-type]  # a name read in the namespace
        value = g.get(name, _MISSING)
        if value is not _MISSING:
            stack.append(value)
    _push_own_objects(fn, stack)


def _push_own_objects(fn: types.FunctionType, stack: list[Any]) -> None:
    """Push what ``fn`` holds itself: its closure cells' contents and its defaults. Only its
    own objects: the id of a stand-in made here (``fn.__kwdefaults__ or {}``) would be recorded
    as reached, and CPython gives a freed dict's id to the next dict the program makes."""
    for cell in fn.__closure__ or ():
        try:
            stack.append(cell.cell_contents)
        except ValueError:
            pass  # an empty cell
    if fn.__defaults__:
        stack.append(fn.__defaults__)
    if fn.__kwdefaults__:
        stack.append(fn.__kwdefaults__)


_MISSING = object()
# ``(id(namespace), ANY_NAME)``: some name is read in that namespace (no identifier is empty)
ANY_NAME = ""
_FUNCTION_HOLDERS = (staticmethod, classmethod)


def _push_shared(value: Any, stack: list[Any], seen: set[int]) -> None:
    """Push what code reading attributes of a shared root can reach from ``value``: a
    program's class's own attributes and its bases' (``__dunder__`` names left out, but for
    functions: ``__init__``), a program's module's globals (the namespace itself counts as
    inside), a program's object's attributes and its class; what a compiled function of the
    program reads (:func:`_push_function`), through static and class methods, properties and
    bound methods; containers and finished pending values as in :func:`_push_inside`. A
    library object's insides are not followed."""
    t = type(value)
    if t is Pending or t in _CONTAINERS or t is dict:
        _push_inside(value, stack)
    elif t in ATOM_TYPES:
        return
    elif t is types.FunctionType:
        _push_function(value, stack, seen)
    elif t in _FUNCTION_HOLDERS:
        stack.append(value.__func__)
    elif t is property:
        stack.extend((value.fget, value.fset, value.fdel))
    elif t is types.MethodType:
        stack.append(value.__func__)
        stack.append(value.__self__)
    elif isinstance(value, type):
        if _program_owned(getattr(value, "__module__", None)):
            for klass in value.__mro__:
                if klass is not value and _program_owned(getattr(klass, "__module__", None)):
                    stack.append(klass)
            # copied in one step: another thread may rebind one meanwhile
            stack.extend(v for k, v in list(vars(value).items())
                         if not (k.startswith("__") and k.endswith("__"))
                         or type(v) is types.FunctionType or type(v) in _FUNCTION_HOLDERS)
    elif t is types.ModuleType:
        if _program_owned(value.__name__):
            seen.add(id(value.__dict__))
            stack.extend(v for k, v in list(value.__dict__.items())
                         if not (k.startswith("__") and k.endswith("__")))
    elif _program_instance(value):
        stack.append(t)
        stack.extend(_attribute_values(value))


def shared_reach(roots: list[Any], budget: int = _LIST_BUDGET) -> tuple[frozenset[int] | None, bool]:
    """Like :func:`reachable`, from shared roots (see :func:`_push_shared`)."""
    stack = list(roots)
    seen: set[int] = set()
    final = True
    while stack:
        value = stack.pop()
        if type(value) in ATOM_TYPES or id(value) in seen:
            continue  # atoms never change: a module's table of strings costs no budget
        seen.add(id(value))
        if len(seen) > budget:
            return None, True
        if type(value) is Pending and value._state == PENDING:
            final = False
        _push_shared(value, stack, seen)
    return frozenset(seen), final


class _Shared:
    """One reader's shared roots, and what they reach once asked (see ``_reach``)."""

    __slots__ = ("found", "roots")

    def __init__(self, roots: list[Any]) -> None:
        self.roots = roots
        self.found: frozenset[int] | None | bool = False  # False: not searched yet

    def reaches(self, obj: Any, names: tuple[str, ...] = ()) -> bool:
        """Whether ``obj`` is reached, or with ``names`` (``obj`` a module's namespace):
        whether one of those names is read in it (:func:`_push_function`)."""
        found = self.found
        if found is False:
            found, final = shared_reach(self.roots)
            if final:
                self.found = found
        if found is None or id(obj) in found:  # type: ignore[operator]
            return True
        if not names:  # the object itself changes: a namespace, through the dict API
            return (id(obj), ANY_NAME) in found  # type: ignore[operator]
        return any((id(obj), n) in found for n in names)  # type: ignore[operator]


class ConcurrentReaders:
    """The pending values each running concurrent block was handed, until it has finished."""

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._lock = threading.Lock()
        # guard seq -> (guard, block lo, block hi, pending values it was handed, its shared
        # roots or None); empty when nothing runs concurrently, which hot paths test directly
        # (no method call)
        self.entries: dict[int, tuple[Pending, int, int, list[Pending], _Shared | None]] = {}
        # id of a handed pending value (kept alive by its entry) -> what its value reaches,
        # found once: the graph can only grow through a change to an object already in it,
        # and such a change first waits here for the reader, which then drops its entry
        # (the value holds the pending value itself, so a reused id is never mistaken for it)
        self._reach: dict[int, tuple[Pending, frozenset[int] | None]] = {}
        # seq of a queued print that is a reader (add_print) -> what renders it
        self._renders: dict[int, Callable[[], None]] = {}
        # seq of such a print -> the shared roots of the values it shows, once all exist
        self._print_shared: dict[int, _Shared] = {}

    def add(self, guard: Pending, block: Scope, handed: Any, roots: list[Any] | None = None) -> None:
        """``block`` reads ``handed`` and the attributes of ``roots`` (:func:`shared_roots`)
        until ``guard`` finishes."""
        found: list[Pending] = []
        collect(handed, found)
        if not found and not roots:
            return
        shared = _Shared(roots) if roots else None
        with self._lock:
            self.entries[guard._seq] = (guard, block.lo, block.hi, found, shared)
            context.GUARDED.append(guard._seq)
        self._rt._when_ready([guard], lambda: self._drop(guard._seq))

    def add_value_reader(self, guard: Pending, receiver: Pending) -> None:
        """A derived value (``d.get(k)`` on a pending dict, dispatch._read_later) reads
        ``receiver`` when it exists, until ``guard`` finishes. It occupies no block of program
        order (``lo == hi``), so every change the program makes counts as after it."""
        with self._lock:
            self.entries[guard._seq] = (guard, guard._seq, guard._seq, [receiver], None)
        self._rt._when_ready([guard], lambda: self._drop(guard._seq))

    def add_object_reader(self, guard: Pending, obj: Any) -> None:
        """A derived value (``d.get(k)`` with a pending key ``k``) reads the real container
        ``obj`` when the key exists, until ``guard`` finishes: plain Python read it at the
        call, so a change the program makes to it meanwhile waits (p423)."""
        self.add_global_reader(guard, (obj,))

    def add_global_reader(self, guard: Pending, objects: tuple[Any, ...]) -> None:
        """An external call reads ``objects`` (what the module-level names in its body hold)
        until ``guard`` finishes. Plain Python ran its body before the program's next
        statement, so a change the program makes to them meanwhile waits for the call (p352).
        Like :meth:`add_value_reader`, it occupies no block of program order. The program's
        classes, modules and objects among them are shared roots: what their attributes hold
        (``Config.TABLE``, ``Config.holder``) is read too."""
        holder = Pending(self._rt, guard._seq, "what a call reads")
        object.__setattr__(holder, "_state", DONE)
        object.__setattr__(holder, "_value", objects)
        roots = shared_roots(objects)
        shared = _Shared(roots) if roots else None
        with self._lock:
            self.entries[guard._seq] = (guard, guard._seq, guard._seq, [holder], shared)
            context.GUARDED.append(guard._seq)
        self._rt._when_ready([guard], lambda: self._drop(guard._seq))

    def add_print(self, seq: int, pending: list[Pending], render: Callable[[], None]) -> None:
        """A print queued at ``seq`` (Runtime.print) shows the values of ``pending`` when its
        turn comes. Unlike other readers it is not waited for: a change that reaches one of
        those values calls ``render`` first, which renders the print as it stands (see
        runtime/printed.py), then lets the change go on. Like :meth:`add_value_reader`, it
        occupies no block of program order. Ends with :meth:`drop_print`."""
        guard = Pending(self._rt, seq, "a queued print")
        with self._lock:
            self.entries[seq] = (guard, seq, seq, pending, None)
            self._renders[seq] = render
            context.GUARDED.append(seq)

    def drop_print(self, seq: int) -> None:
        with self._lock:
            self._renders.pop(seq, None)
            self._print_shared.pop(seq, None)
        self._drop(seq)

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
        self._wait_reaching(obj, ())

    def before_rebinding(self, namespace: dict[str, Any], names: tuple[str, ...]) -> None:
        """The program is about to rebind ``names`` in a module's ``namespace``: wait for the
        concurrent blocks that may still read one of them (or the whole namespace)."""
        self._wait_reaching(namespace, names)

    def _wait_reaching(self, obj: Any, names: tuple[str, ...]) -> None:
        scope = self._rt.scope()
        here, now = scope.lo, scope.next
        with self._lock:
            entries = list(self.entries.values())
        for guard, lo, hi, handed, shared in entries:
            if lo <= here < hi or guard._state != PENDING or lo > now:
                continue  # made by that block itself, or it has finished, or comes later
            if guard._seq in self._renders:
                continue  # a queued print: rendered below
            if any(p._state == DONE and self._reaches(p, obj) for p in handed) \
                    or (shared is not None and shared.reaches(obj, names)):
                self._rt.wait_for(guard, "the program changes an object that code running "
                                         "concurrently has yet to read")
        if self._renders:
            # after the code it waited for above, which may have queued such a print itself
            # (a deferred arm before this change in program order that printed the object)
            with self._lock:
                prints = [(s, self.entries[s], r) for s, r in self._renders.items()
                          if s in self.entries]
            for seq, (_guard, lo, _hi, handed, _shared), render in prints:
                if lo < now and self._print_reaches(seq, handed, obj, names):
                    render()

    def _print_reaches(self, seq: int, handed: list[Pending], obj: Any,
                       names: tuple[str, ...]) -> bool:
        """Whether the queued print ``seq``, which shows the values of ``handed``, may show
        the change to ``obj`` (or the rebinding of ``names`` in it): ``obj`` lies inside one of
        the values, or the program's code that renders them reads it (a ``__repr__`` reading a
        module global or a settings dict: the values' shared roots, :func:`shared_roots`)."""
        done = [p for p in handed if p._state == DONE]
        if not done:
            return False
        if any(self._reaches(p, obj) for p in done):
            return True
        shared = self._print_shared.get(seq)
        if shared is None:
            roots = shared_roots([p._value for p in done])
            if not roots:
                return False
            shared = _Shared(roots)
            if len(done) == len(handed):
                with self._lock:
                    if seq in self._renders:
                        self._print_shared[seq] = shared
        return shared.reaches(obj, names)
