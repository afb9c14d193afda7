"""Running a call of the program's own function concurrently with the code after it.

A function qualifies when the compiler found it free of effects and of changes to shared state
(:mod:`opportune.compiler.purity`) and, at this call, everything it can read is either copied
(its arguments, as for an external call) or cannot change (the globals and closure variables it
names hold modules, functions, classes, immutable values or library service objects such as an
API client). It then runs on a worker thread in a block of program order of its own, so its
calls, failures and any output sort exactly where plain Python would have produced them, and
the caller gets a pending value at once.
"""

from __future__ import annotations

import builtins
import contextvars
import dataclasses
import functools
import threading
import types
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from opportune.compiler.purity import LEAF_BUILTINS, Purity
from opportune.compiler.registry import _compiled_ids, pure_functions
from opportune.runtime import capture, context, generators, program_threads, tracebacks
from opportune.runtime.readers import shared_roots
from opportune.runtime.snapshot import is_changeable_data, snapshot
from opportune.runtime.values import ATOM_TYPES, FAILED, Pending

if TYPE_CHECKING:
    from opportune.runtime.scheduler import Runtime

MAX_CONCURRENT = 256
_IMMUTABLE_ATOMS = (str, int, float, bool, bytes, complex, type(None), range, types.ModuleType,
                    types.BuiltinFunctionType, type)
_COPIED = (list, dict, set)


_LRU_WRAPPER = functools._lru_cache_wrapper  # type: ignore[attr-defined]


def _is_library_object(value: Any) -> bool:
    from opportune.compiler.functions import is_user_module

    module = type(value).__module__
    return module not in ("builtins", "__main__") and not is_user_module(module)


def _reaches_a_cache(fn: types.FunctionType, seen: set[int]) -> bool:
    """Whether the compiled function ``fn`` names an lru_cache wrapper, itself or through the
    compiled functions it names: a concurrent run would call it out of program order, and the
    cache would see its keys in another order (and ``cache_info()`` count too early)."""
    facts = pure_functions.get(id(fn.__code__))
    if facts is None:
        return False
    for value in named_values(fn, facts.global_names):
        t = type(value)
        if t is _LRU_WRAPPER:
            return True
        if t is types.FunctionType and id(value) not in seen \
                and id(value.__code__) in _compiled_ids:
            seen.add(id(value))
            if _reaches_a_cache(value, seen):
                return True
    return False


def _frozen_dataclass(value: Any) -> bool:
    params = getattr(type(value), "__dataclass_params__", None)
    return dataclasses.is_dataclass(value) and params is not None and params.frozen


def _safe(value: Any, copied: bool, depth: int = 0, writers: bool = False) -> bool:
    """Whether the concurrent function may hold ``value`` without seeing later changes.

    ``writers``: externals that read or write resources may be called too (a deferred branch
    arm is ordered as a writer of everything, so their order is kept).
    """
    if depth > 6:
        return False
    t = type(value)
    if t is Pending:  # first: isinstance() would read __class__, which waits for the value
        return True
    if isinstance(value, type):
        return _class_safe(value, depth, writers)
    if t is types.BuiltinMethodType:
        # len, math.sqrt, "-".join: safe; random.random (a method of the module's generator)
        # changes the state of the object it is bound to
        owner = value.__self__
        return owner is None or type(owner) in _IMMUTABLE_ATOMS
    if t in _IMMUTABLE_ATOMS:
        return True
    if t is _LRU_WRAPPER:
        # its cache changes at each call, which must reach it in program order: code that
        # calls it runs on the program's thread (runtime/caches.py)
        return False
    if t is types.FunctionType:
        code_id = id(value.__code__)
        if code_id in _compiled_ids:
            facts = pure_functions.get(code_id)
            return facts is not None and _reads_safe(value, facts, depth, writers) \
                and not _reaches_a_cache(value, {id(value)})
        spec = value.__dict__.get("__opportune_external__")
        # a call the program waits for, or one that may change what it is handed, must
        # happen where plain Python makes it, not in code running concurrently
        return (spec is not None and (spec.pure or writers) and not spec.waited_for
                and not spec.changed_params and not _output_in_order(spec))
    if t is types.MethodType:
        return _safe(value.__func__, copied, depth + 1, writers) \
            and _safe(value.__self__, False, depth + 1, writers)

    if t in (tuple, frozenset):
        return all(_safe(v, copied, depth + 1, writers) for v in value)
    if t in _COPIED:
        if not copied:
            return False
        items = list(value.items()) if t is dict else list(value)
        return all(_safe(v, True, depth + 1, writers) for v in items)
    if _frozen_dataclass(value):
        return all(_safe(getattr(value, f.name), copied, depth + 1, writers)
                   for f in dataclasses.fields(value))
    # An iterator of a library (itertools.count, cycle) changes on next(), a builtin that
    # runs at once: calls out of program order would take its items in another order.
    # threading.local: another thread sees none of the program thread's attributes.
    return _is_library_object(value) and not is_changeable_data(value) \
        and not hasattr(type(value), "__next__") \
        and type(value).__module__ not in ("_thread", "_threading_local")


_checking = threading.local()  # functions and classes whose check is under way, by id


def _reads_safe(fn: types.FunctionType, facts: Purity, depth: int, writers: bool) -> bool:
    """Whether what a compiled function of the program may reach through the names it reads
    (the functions it calls, the classes whose methods it calls) is safe too: a pure function
    calling one that appends to a global list would make that change out of program order,
    while the program reads the list unseen. A function met again while its own check is
    under way (a recursive one) counts as safe there."""
    under_way: set[int] | None = getattr(_checking, "ids", None)
    if under_way is None:
        under_way = _checking.ids = set()
    if id(fn) in under_way:
        return True
    under_way.add(id(fn))
    try:
        return all(v is not UNRESOLVED and _safe(v, False, depth + 1, writers)
                   for v in named_values(fn, facts.global_names))
    finally:
        under_way.discard(id(fn))


def _class_safe(cls: type, depth: int, writers: bool) -> bool:
    """Whether code running concurrently may hold and use a class: each function the program
    wrote in it (and in its bases) is pure, or changes nothing but the instance it is called
    on (compiler/purity.method_facts), and what those functions read is safe in turn. A
    ``classmethod`` that counts instances in a class attribute, an ``__init__`` that adds
    itself to a global registry, would change what the program reads while it runs ahead
    (p672). Library classes, and generated methods (a dataclass's), are trusted as before."""
    from opportune.compiler.functions import is_user_module
    from opportune.compiler.registry import instance_methods

    if not is_user_module(cls.__module__):
        return True
    under_way: set[int] | None = getattr(_checking, "ids", None)
    if under_way is None:
        under_way = _checking.ids = set()
    if id(cls) in under_way:
        return True
    under_way.add(id(cls))
    try:
        for klass in cls.__mro__:
            if klass is object or not is_user_module(klass.__module__):
                continue
            for attr in list(vars(klass).values()):
                if isinstance(attr, (staticmethod, classmethod)):
                    functions = (attr.__func__,)
                elif isinstance(attr, property):
                    functions = (attr.fget, attr.fset, attr.fdel)
                else:
                    functions = (attr,)
                for fn in functions:
                    if type(fn) is not types.FunctionType \
                            or id(fn.__code__) not in _compiled_ids:
                        continue
                    facts = pure_functions.get(id(fn.__code__)) \
                        or instance_methods.get(id(fn.__code__))
                    if facts is None or not _reads_safe(fn, facts, depth, writers):
                        return False
        return True
    finally:
        under_way.discard(id(cls))


def _output_in_order(spec: Any) -> bool:
    """Whether a call of ``spec`` would have to run in program order for its output as things
    stand (``Runtime._why_in_order``): it logs while a logging handler writes to a file, or it
    prints and streams. Code running concurrently could not make such a call in its place: a
    later call of the program, issued first, would write first."""
    if not spec.prints:
        return False
    if spec.stream is not None:
        return True
    return spec.logs and not capture.logging_stays_on_routed_streams()


UNRESOLVED = object()


def named_values(fn: types.FunctionType, names: Iterable[str]) -> Iterator[Any]:
    """What each of ``names`` holds for ``fn`` now: its closure cell, else its global; builtins
    are left out, and a name bound nowhere (or an empty cell) gives :data:`UNRESOLVED`."""
    g = fn.__globals__
    free = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
    for name in names:
        if name in free:
            try:
                yield free[name].cell_contents
            except ValueError:
                yield UNRESOLVED
        elif name in g:
            yield g[name]
        elif not hasattr(builtins, name):
            yield UNRESOLVED


def _code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if type(const) is types.CodeType:
            names |= _code_names(const)
    return names


_NAMES_OF: dict[int, frozenset[str]] = {}


def pinned(value: Any, memo: dict[int, Any]) -> Any:
    """``value``, or, for a compiled function that passed the purity check, a twin whose
    globals and closure cells hold what they hold *now*, its callees pinned the same way.

    Plain Python runs the function at the call, so it sees the globals as they are there; the
    concurrent run happens later, after the caller may have rebound one (``LIMIT = 1`` after
    ``c = count(words)``). The twin shares the code, defaults and attributes, so it is the same
    compiled, pure function to dispatch; only the names it reads are fixed."""
    if type(value) is not types.FunctionType:
        return value
    code = value.__code__
    facts = pure_functions.get(id(code))
    if facts is None or id(code) not in _compiled_ids:
        return value
    twin = memo.get(id(value))
    if twin is not None:
        return twin
    g = value.__globals__
    names = _NAMES_OF.get(id(code))
    if names is None:
        names = _NAMES_OF[id(code)] = frozenset(_code_names(code) | set(facts.global_names))
    fixed: dict[str, Any] = {"__builtins__": g.get("__builtins__", builtins),
                             "__name__": g.get("__name__")}
    cells = None
    if value.__closure__:
        cells = tuple(types.CellType() for _ in value.__closure__)
    twin = types.FunctionType(code, fixed, value.__name__, value.__defaults__, cells)
    memo[id(value)] = twin
    twin.__kwdefaults__ = value.__kwdefaults__
    twin.__qualname__ = value.__qualname__
    twin.__module__ = value.__module__
    twin.__dict__.update(value.__dict__)
    for name in names:
        if name in g:
            fixed[name] = pinned(g[name], memo)
    if cells is not None:
        for new, old in zip(cells, value.__closure__ or ()):
            try:
                new.cell_contents = pinned(old.cell_contents, memo)
            except ValueError:
                pass  # an empty cell stays empty
    return twin


_running = 0
_count_lock = threading.Lock()


def maybe_spawn(
    rt: Runtime, fn: types.FunctionType, facts: Purity, args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Pending | None:
    """Start ``fn(*args, **kwargs)`` concurrently and return its pending result, or None."""
    if _running >= MAX_CONCURRENT or rt._closed:
        return None
    if _plain_data_only(args, kwargs) and _closed(fn, facts, set()):
        # builtin operations on plain data only: nothing to overlap (compiler/purity.py)
        return None
    for value in named_values(fn, facts.global_names):
        if value is UNRESOLVED or not _safe(value, copied=False):
            return None
    if not all(_safe(a, copied=True) for a in args):
        return None
    if not all(_safe(v, copied=True) for v in kwargs.values()):
        return None
    block = rt.reserve_block()
    if block is None:
        return None
    call_seq = max(block.ancestors)
    p = Pending(rt, call_seq, fn.__qualname__)
    rt._register(p)
    site = rt._sites[p._seq] = tracebacks.call_site()
    if generators.TOKENS:
        rt.note_generators(p._seq, site)
    args, kwargs = snapshot(args), snapshot(kwargs)
    memo: dict[int, Any] = {}
    fn = pinned(fn, memo)
    if any(type(a) is types.FunctionType for a in args):
        args = tuple(pinned(a, memo) for a in args)
    read: list[Pending] = []  # pending values its pinned globals hold
    roots = shared_roots((fn, args, kwargs), memo.values(), read)
    rt.readers.add(p, block, (args, kwargs, read), roots)
    count_started()
    # Daemon threads: a program that ends (or fails) while such a call still waits must not be
    # kept alive by it.
    # In a copy of the caller's context: ContextVar values and the decimal context the
    # function reads are those plain Python's call would see (p350).
    program_threads.start(contextvars.copy_context().run, (_run, rt, p, block, fn, args, kwargs),
                          "opportune-fn")
    return p


_BUILTINS = {name: getattr(builtins, name) for name in LEAF_BUILTINS}


def _closed(fn: types.FunctionType, facts: Purity, seen: set[int]) -> bool:
    """Whether ``fn`` is a leaf (``Purity.leaf``) whose callees are leaves too, as the names are
    bound now. Wrong answers only cost overlap: a function run in place behaves as in Python."""
    if not facts.leaf or fn.__code__.co_freevars:
        return False
    seen.add(id(fn))
    g = fn.__globals__
    for name in facts.global_names:
        if name in facts.callees:
            callee = g.get(name)
            if type(callee) is not types.FunctionType:
                return False
            if id(callee) in seen:
                continue
            callee_facts = pure_functions.get(id(callee.__code__))
            if callee_facts is None or not _closed(callee, callee_facts, seen):
                return False
        elif name in g or _builtins_of(fn).get(name) is not _BUILTINS.get(name):
            return False
    return True


def _builtins_of(fn: types.FunctionType) -> dict[str, Any]:
    found: dict[str, Any] = getattr(fn, "__builtins__", builtins.__dict__)
    return found


_CONTAINERS = frozenset({tuple, list, frozenset, set})


def _plain(value: Any, depth: int) -> bool:
    t = type(value)
    if t in ATOM_TYPES:
        return True
    if depth > 6:
        return False
    if t in _CONTAINERS:
        return all(_plain(v, depth + 1) for v in value)
    if t is dict:
        return all(_plain(k, depth + 1) and _plain(v, depth + 1) for k, v in value.items())
    return False


def _plain_data_only(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether every argument is plain data: atoms, and tuples, lists, sets and dicts of plain
    data (nothing pending inside). A leaf function given only such values runs no code of the
    program's and waits for nothing, so starting a thread for it (which makes its caller wait
    until the thread runs, a switch of the interpreter lock on a busy machine) buys nothing:
    ``value_prompt(state[0])`` on a tuple of numbers, say."""
    for a in args:
        if type(a) not in ATOM_TYPES and not _plain(a, 0):
            return False
    for v in kwargs.values():
        if type(v) not in ATOM_TYPES and not _plain(v, 0):
            return False
    return True


def count_started() -> None:
    """Every thread that runs :func:`_run` is counted here first; ``_run`` counts it out."""
    global _running
    with _count_lock:
        _running += 1


def _run(rt: Runtime, p: Pending, block: Any, fn: Any, args: Any, kwargs: Any) -> None:
    global _running
    from opportune.runtime.scheduler import EscapingFailure, OuterFailure, RuntimeClosed

    local = context._local
    inherited = frozenset(block.control)
    local.runtime = rt
    local.scope = block
    local.site = rt._sites.get(p._seq, ())  # the frames below fn's (runtime/tracebacks.py)
    try:
        value = fn(*args, **kwargs)
    except RuntimeClosed:
        pass
    except OuterFailure as outer:
        rt._finish(p, FAILED, outer.error, outer.origin)
    except EscapingFailure as escaping:
        origin = escaping.origin if escaping.origin < block.lo else p._seq
        rt._finish(p, FAILED, escaping.error, origin)
    except BaseException as exc:  # noqa: BLE001 - the call's failure is its value
        rt._finish(p, FAILED, exc, p._seq)
    else:
        # What the result waited for: the calls whose values decided the function's course,
        # or, for a pending result, the calls behind it. Pending values inside a returned
        # container carry their own.
        calls = frozenset(block.control - inherited)
        if type(value) is Pending:
            calls |= value._calls
        object.__setattr__(p, "_calls", calls)
        if type(value) is Pending:
            rt._when_ready([value], lambda: rt._adopt(p, value))
        else:
            rt._finish(p, 1, value, None)
    finally:
        local.runtime = None
        local.scope = None
        local.site = ()
        with _count_lock:
            _running -= 1


tracebacks.THREAD_ROOTS.add(id(_run.__code__))


def guard_effect(rt: Runtime, f: Any) -> None:
    """A concurrently running function reached code that might have an effect (found through
    dynamic dispatch): it first waits for everything before it in program order."""
    rt.sync_point(f"concurrent function reached {getattr(f, '__qualname__', f)!r}")
