"""Run-time half of branches on pending values (see :mod:`opportune.compiler.branches`)."""

from __future__ import annotations

import operator
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from opportune.runtime.context import _local
from opportune.runtime.values import DONE, FAILED, PENDING, Pending, is_immutable, known_type

if TYPE_CHECKING:
    from opportune.runtime.scheduler import Runtime


def _rt() -> Runtime | None:
    return getattr(_local, "runtime", None)


def undecided(cond: Any) -> bool:
    """Whether an ``if`` on ``cond`` would have to wait for it."""
    return type(cond) is Pending and cond._state != DONE and _rt() is not None


def spec_enter() -> int:
    rt = _rt()
    if rt is None:
        return 0
    sc = rt.scope()
    sc.spec_depth += 1
    return 1


def spec_exit(mark: int) -> None:
    rt = _rt()
    if rt is not None and mark:
        rt.scope().spec_depth -= 1


# Values whose reading and arithmetic run no code of the program's: exact built-in types only
# (a subclass may override an operator), containers checked element by element.
_PLAIN_ATOMS = frozenset({int, float, complex, bool, str, bytes, type(None), range, slice,
                          type(Ellipsis), types.ModuleType, types.BuiltinFunctionType,
                          types.FunctionType})
_IMMUTABLE = frozenset({int, float, complex, bool, str, bytes, type(None), tuple, frozenset})
_PLAIN_BUDGET = 256


def _plain(value: Any, budget: list[int]) -> bool:
    """Whether evaluating a call-free expression over ``value`` can have no effect at all."""
    budget[0] -= 1
    if budget[0] < 0:
        return False
    t = type(value)
    if t is Pending:
        # Operations on a pending value are lazy and need its value anyway; once it is known
        # they run at once, so look at the value itself.
        return value._state != DONE or _plain(value._value, budget)
    if t in _PLAIN_ATOMS:
        return True
    if isinstance(value, type):
        # a class: reading its attributes runs no code unless its metaclass is the program's
        from opportune.compiler.functions import is_user_module

        return not is_user_module(t.__module__)
    if t in (tuple, list, set, frozenset):
        return all(_plain(v, budget) for v in value)
    if t is dict:
        return all(_plain(k, budget) and _plain(v, budget) for k, v in value.items())
    return _library_record(t) or _plain_record(t)


_PLAIN_RECORDS: dict[type, bool] = {}
_HARMLESS_DUNDERS = frozenset({"__module__", "__qualname__", "__doc__", "__annotations__",
                               "__dict__", "__weakref__", "__init__", "__repr__", "__str__",
                               "__slots__", "__match_args__", "__firstlineno__",
                               "__static_attributes__", "__orig_bases__", "__parameters__",
                               "__init_subclass__", "__class_getitem__"})


def _plain_record(t: type) -> bool:
    """A class of the program's own that is a record: fields and methods (no call can run in a
    speculative arm), no properties or other descriptors, and no operators except those a
    ``dataclass`` or pydantic generates. Reading such an object runs no code of the program's."""
    known = _PLAIN_RECORDS.get(t)
    if known is None:
        known = _PLAIN_RECORDS[t] = _is_plain_record(t)
    return known


def _is_plain_record(t: type) -> bool:
    from opportune.compiler.functions import is_user_file, is_user_module
    from opportune.compiler.registry import is_compiled_code

    for cls in t.__mro__:
        if cls is object or not is_user_module(cls.__module__):
            continue
        for name, attr in vars(cls).items():
            if name in _HARMLESS_DUNDERS:
                continue
            if isinstance(attr, (types.FunctionType, staticmethod, classmethod)):
                fn = attr.__func__ if isinstance(attr, (staticmethod, classmethod)) else attr
                dunder = name.startswith("__") and name.endswith("__")
                code = fn.__code__
                if dunder and (is_compiled_code(code) or is_user_file(code.co_filename)):
                    return False  # an operator the program wrote (a generated one is fine)
            elif hasattr(type(attr), "__get__") or hasattr(type(attr), "__set__"):
                return False  # a property or another descriptor runs code on reading
            elif name.startswith("__") and name.endswith("__") \
                    and name not in _HARMLESS_DUNDERS and not name.startswith(
                        ("__dataclass", "__pydantic", "__private", "__class_vars",
                         "__signature__", "__abstract", "__hash__")):
                return False
    return True


def _library_record(t: type) -> bool:
    """An object of an installed library's class (a pydantic model a tool returned, say):
    reading it runs no code of the program's. A mapping that fills in missing keys
    (``defaultdict``) would change on a mere lookup."""
    from opportune.compiler.functions import is_user_module

    module = t.__module__
    return (module not in ("builtins", "__main__") and not is_user_module(module)
            and not hasattr(t, "__missing__"))


def spec_safe(reads: tuple[Any, ...], updated: tuple[Any, ...]) -> bool:
    """Whether the arms of a branch may run before the branch is decided.

    An arm that is not taken must leave no trace, so every value the arms read must be plain
    data or a pending value (operations on those are lazy, and run on the value's own type) (a property, an operator or ``__getitem__`` of the program's own class could print or
    change state), and a name updated in place (``acc += [x]``) must hold an immutable value:
    ``+=`` on a list changes the list itself, whichever arm plain Python takes.
    """
    budget = [_PLAIN_BUDGET]
    if not all(_plain(v, budget) for v in reads):
        return False
    return all(type(v) in _IMMUTABLE or type(v) is Pending and is_immutable(v) for v in updated)


def thunk_safe(thunk: Callable[[], Any]) -> bool:
    """:func:`spec_safe` for an operand compiled as ``lambda: expr``: what it reads are its
    closure cells and the globals it names (attribute names it also lists are skipped)."""
    code = thunk.__code__
    values: list[Any] = []
    for cell in thunk.__closure__ or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:
            return False  # unbound: plain Python would raise only if this operand runs
    glob = thunk.__globals__
    for name in code.co_names:
        if name in glob:
            values.append(glob[name])
    return spec_safe(tuple(values), ())


def _truth(value: Any) -> bool:
    return bool(value)


# The label of a selection that may turn out to be a name the taken arm did not bind: output
# that shows it waits for it, so that the NameError is raised at the print, as in plain Python.
MAYBE_UNBOUND = "if (may be unbound)"


def _unbound_error(name: str, in_function: bool) -> NameError:
    if in_function:
        return UnboundLocalError(
            f"cannot access local variable {name!r} where it is not associated with a value")
    return NameError(f"name {name!r} is not defined")


def _unbound_value(rt: Runtime | None, name: str, in_function: bool) -> Any:
    """A name the taken arm did not bind: using it raises, merely holding it does not."""
    if rt is None:
        raise _unbound_error(name, in_function)
    p = Pending(rt, rt.next_seq(), MAYBE_UNBOUND)
    object.__setattr__(p, "_speculative", True)  # raised where used, never on its own
    object.__setattr__(p, "_state", FAILED)
    object.__setattr__(p, "_value", _unbound_error(name, in_function))
    object.__setattr__(p, "_origin", p._seq)
    return p


def select(cond: Any, then: Any, then_err: BaseException | None, other: Any,
           other_err: BaseException | None, n: int, names: tuple[str, ...] = (),
           in_function: bool = False) -> tuple[Any, ...]:
    """n pending values that become ``then[i]`` or ``other[i]`` once ``cond`` is decided."""
    from opportune.runtime.hooks import UNBOUND

    rt = _rt()
    if rt is None or type(cond) is not Pending or cond._state == DONE:
        chosen, err = (then, then_err) if (cond._value if type(cond) is Pending else cond) \
            else (other, other_err)
        _raise_arm(rt, err)
        return tuple(_unbound_value(rt, names[i], in_function) if v is UNBOUND else v
                     for i, v in enumerate(chosen))
    def may_be_unbound(arm: Any, err: BaseException | None, i: int) -> bool:
        return err is None and (arm[i] is UNBOUND or type(arm[i]) is Pending
                                and arm[i]._label == MAYBE_UNBOUND)

    results = [rt.new_pending(MAYBE_UNBOUND if may_be_unbound(then, then_err, i)
                              or may_be_unbound(other, other_err, i) else "if", cond._calls)
               for i in range(n)]
    if then_err is None and other_err is None:
        for i, p in enumerate(results):
            kind = known_type(then[i])
            if kind is not None and kind is known_type(other[i]):
                object.__setattr__(p, "_type", kind)

    def decide() -> None:
        if cond._state == FAILED:
            for p in results:
                rt._finish(p, FAILED, cond._value, cond._origin)
            return
        try:
            truth = rt.at_place(results[0]._seq, _truth, cond._value)
        except BaseException as exc:  # noqa: BLE001 - the branch fails as plain Python would
            for p in results:
                rt._finish(p, FAILED, exc, p._seq)
            return
        chosen, err = (then, then_err) if truth else (other, other_err)
        for i, p in enumerate(results):
            if err is not None:
                _finish_arm_error(rt, p, err)
                continue
            settle_name(rt, p, chosen[i], names[i] if names else "", in_function)

    rt._when_ready([cond], decide)
    return tuple(results)


def settle_name(rt: Runtime, p: Pending, value: Any, name: str, in_function: bool) -> None:
    """Finish ``p``, the pending value of ``name`` after a branch, as ``value``: the value
    itself, the one a pending value becomes, or, for the unbound marker, an error raised where
    the name is used (not on its own)."""
    from opportune.runtime.hooks import UNBOUND

    if value is UNBOUND:
        object.__setattr__(p, "_speculative", True)
        rt._finish(p, FAILED, _unbound_error(name, in_function), p._seq)
    elif type(value) is Pending:
        object.__setattr__(p, "_calls", p._calls | value._calls)
        rt.take(p, value)
        rt._when_ready([value], lambda: rt._adopt(p, value))
    else:
        rt._finish(p, DONE, value, None)


def _finish_arm_error(rt: Runtime, p: Pending, err: BaseException) -> None:
    from opportune.runtime.scheduler import SpeculativeFailure

    if isinstance(err, SpeculativeFailure):
        failed = err.failed
        if failed._speculative or failed._origin is None:
            rt._finish(p, FAILED, failed._value, p._seq)
        else:
            rt._finish(p, FAILED, failed._value, failed._origin)
    else:
        rt._finish(p, FAILED, err, p._seq)


def _raise_arm(rt: Runtime | None, err: BaseException | None) -> None:
    if err is None:
        return
    from opportune.runtime.scheduler import SpeculativeFailure

    if isinstance(err, SpeculativeFailure):
        err.failed._force()
    raise err


def _speculate(rt: Runtime, thunk: Callable[[], Any]) -> tuple[Any, BaseException | None]:
    sc = rt.scope()
    sc.spec_depth += 1
    try:
        return thunk(), None
    except BaseException as exc:  # noqa: BLE001 - kept, raised only if this operand is used
        return None, exc
    finally:
        sc.spec_depth -= 1


def _boolop(is_and: bool, first: Any, thunks: tuple[Callable[[], Any], ...]) -> Any:
    value = first
    for i, thunk in enumerate(thunks):
        if type(value) is Pending and value._state != DONE:
            rt = _rt()
            if rt is not None:
                return _lazy_boolop(rt, is_and, value, thunks[i:])
        truth = bool(value)
        if truth != is_and:
            return value
        value = thunk()
    return value


def _fail_as(rt: Any, result: Pending, failed: Pending) -> None:
    """Finish ``result`` with the failure of the operand ``failed`` it was deciding on. The
    failure keeps its own place in program order, unless it was met while speculating: then it
    sorts where ``result`` does, as the program meets it only through ``result``."""
    rt._finish(result, FAILED, failed._value,
               failed._origin if not failed._speculative else result._seq)


def _lazy_boolop(rt: Runtime, is_and: bool, first: Pending,
                 thunks: tuple[Callable[[], Any], ...]) -> Any:
    if not all(thunk_safe(t) for t in thunks):
        return _boolop_waiting(is_and, first, thunks)
    rest = [_speculate(rt, t) for t in thunks]
    result = rt.new_pending("and" if is_and else "or", first._calls)

    def step(current: Any, index: int) -> None:
        if type(current) is Pending:
            if current._state == FAILED:
                _fail_as(rt, result, current)
                return
            current = current._value
        if index == len(rest):
            rt._finish(result, DONE, current, None)
            return
        try:
            truth = rt.at_place(result._seq, bool, current)
        except BaseException as exc:  # noqa: BLE001
            rt._finish(result, FAILED, exc, result._seq)
            return
        if truth != is_and:
            rt._finish(result, DONE, current, None)
            return
        value, err = rest[index]
        if err is not None:
            _finish_arm_error(rt, result, err)
            return
        rt.take(result, value)  # plain Python evaluates this operand here
        if type(value) is Pending and value._state == PENDING:
            object.__setattr__(result, "_calls", result._calls | value._calls)
            rt._when_ready([value], lambda: step(value, index + 1))
        else:
            step(value, index + 1)

    rt._when_ready([first], lambda: step(first, 0))
    return result


def _boolop_waiting(is_and: bool, value: Any, thunks: tuple[Callable[[], Any], ...]) -> Any:
    """The plain evaluation, waiting for each operand's truth as Python does."""
    for thunk in thunks:
        if bool(value) != is_and:
            return value
        value = thunk()
    return value


def and_(first: Any, *thunks: Callable[[], Any]) -> Any:
    return _boolop(True, first, thunks)


def or_(first: Any, *thunks: Callable[[], Any]) -> Any:
    return _boolop(False, first, thunks)


def not_(value: Any) -> Any:
    if type(value) is Pending and value._state != DONE and _rt() is not None:
        return value._rt.derive_op(operator.not_, (value,), "not")
    return not value


def ifexp(cond: Any, then: Callable[[], Any], other: Callable[[], Any],
          capture: Callable[[], tuple[Any, ...]] | None,
          then_fn: Callable[..., Any] | None, other_fn: Callable[..., Any] | None,
          calls: tuple[Any, ...] = ((), (), (), True, ())) -> Any:
    """``then() if cond else other()``; arms that make calls (``capture`` given) may run later.

    ``calls`` describes the arms' call sites for :func:`opportune.runtime.deferral.arm_writes`:
    (names captured, names called, method call sites, whether other calls are made, aliases).
    """
    rt = _rt()
    if rt is None or type(cond) is not Pending or cond._state == DONE:
        return then() if cond else other()
    if capture is None:
        if not (thunk_safe(then) and thunk_safe(other)):
            return then() if cond else other()
        t = _speculate(rt, then)
        o = _speculate(rt, other)
        return select(cond, (t[0],), t[1], (o[0],), o[1], 1)[0]
    assert then_fn is not None and other_fn is not None
    return _deferred_arm(rt, cond, then, other, capture, then_fn, other_fn, calls)


def _deferred_arm(rt: Runtime, cond: Pending, then: Callable[[], Any], other: Callable[[], Any],
                  capture: Callable[[], tuple[Any, ...]], then_fn: Callable[..., Any],
                  other_fn: Callable[..., Any], calls: tuple[Any, ...]) -> Any:
    """Arms that make calls run later, once ``cond`` is decided, in a block of program order
    reserved now, with the names they use captured as they are now."""
    from opportune.runtime.deferral import arm_writes, start_arm

    try:
        captured = capture()
    except NameError:
        return then() if cond else other()
    names, called, methods, other_calls, aliases = calls
    writes = arm_writes(rt, dict(zip(names, captured)), called, methods, other_calls, (),
                        aliases)
    p = start_arm(rt, cond, captured, lambda truth: then_fn if truth else other_fn, writes,
                  "if-arm")
    if p is None:
        return then() if cond else other()
    return p


def returned(value: Any) -> Any:
    """``return name`` of a name a branch on a pending value may have left unbound: plain
    Python raises UnboundLocalError at the return, inside the function's ``try``, so the
    function waits here for the branch to decide (only for such a name)."""
    if type(value) is not Pending or value._label != MAYBE_UNBOUND:
        return value
    rt = _rt()
    if rt is None:
        return value
    if value._state == PENDING:
        rt.wait_for(value, "a returned name may have been left unbound by a branch")
    if value._state == FAILED and value._speculative and value._origin == value._seq:
        raise value._value
    return value


# Iterators over data whose remaining items their ``__reduce__`` hands back without running
# any code of the program's: what a generator expression over them reads can be checked first.
_DATA_ITERATORS = frozenset(type(iter(c)) for c in ([], (), range(0), "", b"", {}, {}.values(),
                                                    {}.items(), set(), frozenset()))


def any_all(f: Any, gen: Any) -> Any:
    """``any(item for x in xs)`` / ``all(...)`` (compiler/branches.lazy_any_all): the items are
    taken in order and decide as in plain Python while they are real values; once one is still
    being computed, the rest of the generator runs speculatively, as the later operands of
    ``or``/``and`` do (``_lazy_boolop``), up to the first real item that decides, and the
    answer is a pending value decided in order:
    the first item that decides ends it, a later item's failure (``"x" in None``) is raised
    only if no earlier item decided. Only a generator over a list, tuple, range, string, dict
    or set whose items, and the names it reads, are plain data or pending values
    (:func:`spec_safe`) runs ahead; otherwise each item is waited for, as before."""
    import builtins

    rt = _rt()
    is_all = f is builtins.all
    if rt is None or not (is_all or f is builtins.any) or type(gen) is not types.GeneratorType:
        from opportune.runtime.dispatch import call

        return call(f, gen)
    for item in gen:
        if type(item) is Pending and item._state != DONE and _generator_safe(gen):
            return _lazy_any_all(rt, is_all, item, gen)
        if bool(item) != is_all:
            return not is_all
    return is_all


def _generator_safe(gen: types.GeneratorType) -> bool:
    frame = gen.gi_frame
    if frame is None:
        return False
    names = frame.f_locals
    source = names.get(".0")
    if type(source) not in _DATA_ITERATORS:
        return False
    try:
        reduced = source.__reduce__()
        remaining = reduced[1][0] if reduced[1] else ()
    except Exception:  # noqa: BLE001 - an iterator that does not say what is left: wait
        return False
    reads = [remaining, *(v for k, v in names.items() if k != ".0")]
    glob = frame.f_globals
    reads.extend(glob[n] for n in gen.gi_code.co_names if n in glob)
    return spec_safe(tuple(reads), ())


def _lazy_any_all(rt: Runtime, is_all: bool, first: Pending, gen: types.GeneratorType) -> Any:
    rest: list[Any] = []
    error: BaseException | None = None
    sc = rt.scope()
    sc.spec_depth += 1
    try:
        for item in gen:
            if type(item) is Pending and item._state != DONE:
                rest.append(item)
                continue
            if bool(item) != is_all:
                rest.append(item)
                break  # a real item that decides: nothing after it is looked at
            # a real item that does not decide leaves nothing to walk
    except BaseException as exc:  # noqa: BLE001 - kept, raised only if this item is reached
        error = exc
    finally:
        sc.spec_depth -= 1
    items = [first, *rest]
    result = rt.new_pending("all" if is_all else "any", first._calls)

    def step(index: int) -> None:
        while index < len(items):
            value = items[index]
            if type(value) is Pending:
                rt.take(result, value)  # plain Python takes this item here
                if value._state == PENDING:
                    object.__setattr__(result, "_calls", result._calls | value._calls)
                    rt._when_ready([value], lambda at=index: step(at))  # type: ignore[misc]
                    return
                if value._state == FAILED:
                    _fail_as(rt, result, value)
                    return
                value = value._value
            try:
                truth = rt.at_place(result._seq, bool, value)
            except BaseException as exc:  # noqa: BLE001
                rt._finish(result, FAILED, exc, result._seq)
                return
            if truth != is_all:
                rt._finish(result, DONE, not is_all, None)
                return
            index += 1
        if error is not None:
            _finish_arm_error(rt, result, error)
        else:
            rt._finish(result, DONE, is_all, None)

    rt._when_ready([first], lambda: step(0))
    return result
