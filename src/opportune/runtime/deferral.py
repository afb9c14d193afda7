"""Run-time half of deferred branch arms (see :mod:`opportune.compiler.deferral`).

A deferred arm (of an ``if`` statement, or of a conditional expression whose arms make calls)
runs once its condition is decided, on a thread of its own, in a block of program order
reserved where the branch stands. It gets the names it uses as they were at the branch, copied
like the arguments of a concurrent function, so the program's later changes cannot reach it.

What the arm may write has to be known before it runs: calls issued later in the program must
not overtake it. The arm is registered as a writer of every resource that the externals it can
reach write, and of everything (``"*"``) when what it calls cannot be told from the values its
names hold (a library function that might reach a known external, an object of the program's
own class).
"""

from __future__ import annotations

import contextvars
import functools
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from opportune.compiler.registry import _compiled_ids, pure_functions
from opportune.runtime import externals, program_threads
from opportune.runtime.context import _local
from opportune.runtime.externals import SPEC_ATTRIBUTE
from opportune.runtime.readers import shared_roots
from opportune.runtime.snapshot import snapshot
from opportune.runtime.values import DONE, FAILED, PENDING, Pending

if TYPE_CHECKING:
    from opportune.runtime.scheduler import Runtime, Scope

EVERYTHING: frozenset[str] = frozenset({"*"})
# Marks, among the resources an arm may write, those whose read results it may change in
# place (an external with changes_read_results): CHANGES + name.
CHANGES = "changes-read-results:"
_DATA = (str, bytes, int, float, complex, bool, type(None), tuple, list, dict, set, frozenset,
         range)
_MAX_DEPTH = 4
_DEFERRED = "if (deferred)"  # the label of a deferred arm and of the names it assigns


_MARKER: list[Any] = []  # the unbound marker, once looked up (hooks imports this module)


def _unbound_marker() -> Any:
    if not _MARKER:
        from opportune.runtime.hooks import UNBOUND

        _MARKER.append(UNBOUND)
    return _MARKER[0]


def _callee_writes(rt: Runtime, f: Any, depth: int) -> frozenset[str]:
    """The resources a call of ``f`` may write, or :data:`EVERYTHING` when that is unknown."""
    if f is _unbound_marker():
        return frozenset()  # the call raises NameError, as in plain Python
    spec = getattr(f, SPEC_ATTRIBUTE, None) if type(f) is types.FunctionType else None
    if type(f) is types.MethodType:
        spec = getattr(f.__func__, SPEC_ATTRIBUTE, None)
    if spec is not None:
        if spec.changes_read_results:
            return spec.writes | {CHANGES + r for r in spec.writes}
        return spec.writes
    if type(f) is types.FunctionType and id(f.__code__) in _compiled_ids:
        facts = pure_functions.get(id(f.__code__))
        if facts is None or depth >= _MAX_DEPTH:
            return EVERYTHING
        from opportune.runtime.spawn import UNRESOLVED, named_values

        found: set[str] = set()
        for value in named_values(f, facts.global_names):
            if value is UNRESOLVED:
                continue  # the call raises NameError, as in plain Python
            found |= _value_writes(rt, value, depth + 1)
            if "*" in found:
                return EVERYTHING
        return frozenset(found)
    from opportune.runtime.dispatch import OPAQUE, USER, classify

    if isinstance(f, type):
        from opportune.compiler.functions import is_user_module

        if is_user_module(f.__module__):
            return EVERYTHING  # its methods may call anything
    kind = classify(rt, f)
    return EVERYTHING if kind in (OPAQUE, USER) else frozenset()


def _value_writes(rt: Runtime, value: Any, depth: int) -> frozenset[str]:
    """What calling ``value`` (when it is called) may write; data writes nothing."""
    if type(value) is Pending or type(value) in _DATA:
        return frozenset()
    if callable(value):
        return _callee_writes(rt, value, depth)
    if isinstance(value, types.ModuleType):
        return EVERYTHING
    return frozenset()


def _is_data(value: Any) -> bool:
    """Values whose methods reach no external: built-in data (containers checked shallowly),
    pending values (results of calls), the unbound marker."""
    t = type(value)
    if t is Pending or value is _unbound_marker():
        return True
    if t in (list, tuple, set, frozenset):
        return all(type(v) is Pending or type(v) in _DATA for v in list(value)[:64])
    if t is dict:
        return all(type(v) is Pending or type(v) in _DATA for v in list(value.values())[:64])
    return t in _DATA


def arm_writes(rt: Runtime, env: dict[str, Any], called: tuple[str, ...],
               methods: tuple[tuple[str, str, bool], ...], other_calls: bool,
               assigned: tuple[str, ...] = (),
               aliases: tuple[tuple[str, str], ...] = ()) -> frozenset[str]:
    """The resources arms with these call sites may write, given what their names hold.

    A method's receiver is traced through the arm's aliases (``y = x.a``, ``for y in x``) to a
    name it captured: data there (a pending result, a list of strings) has no method that
    writes; a name the arm computes itself holds data too (calls that could return anything
    else are in ``called`` and judged there).
    """
    if other_calls:
        return EVERYTHING
    found: set[str] = set()
    for name in called:
        found |= _callee_writes(rt, env[name], 0) if name in env else EVERYTHING
    sources = dict(aliases)
    for receiver, attr, deep in methods:
        seen = {receiver}
        while receiver in sources and sources[receiver] not in seen:
            receiver = sources[receiver]
            seen.add(receiver)
            deep = True
        if receiver not in env:
            found |= EVERYTHING
            continue
        holder = env[receiver]
        if _is_data(holder) or (receiver in assigned and receiver not in sources):
            continue  # methods of data; an unbound name raises
        if deep:
            found |= EVERYTHING  # a method of an object reached through another one
            continue
        try:
            method = getattr(holder, attr)
        except AttributeError:
            continue  # raises when the arm runs, as in plain Python
        found |= _callee_writes(rt, method, 0)
    if "*" in found:
        return EVERYTHING
    return frozenset(found)


def _rt() -> Runtime | None:
    return getattr(_local, "runtime", None)


def start_arm(rt: Runtime, cond: Any, captured: tuple[Any, ...],
              pick: Callable[[Any], Callable[..., Any]],
              writes: frozenset[str], label: str,
              shared: frozenset[int] = frozenset(), late_failure: bool = False
              ) -> Pending | None:
    """Run ``pick(value of cond)(*captured)`` once ``cond`` is known (now, if it is no pending
    value), in a block of program order reserved now; its pending result, or None when it
    cannot be deferred. ``shared``: the positions of captured lists, dicts and sets the arm
    gets as they are, not copied (runtime/arm_objects.py; the caller checked them).
    ``late_failure``: an error of the arm sorts where it was raised, after what the arm printed
    or called before it (:func:`_failing_in_place`)."""
    from opportune.runtime.spawn import _safe, count_started, pinned

    if not all(i in shared or _safe(v, copied=True, writers=True)
               for i, v in enumerate(captured)):
        return None
    block: Scope | None = rt.reserve_block()
    if block is None:
        return None
    # The arm runs in the context the statement saw (ContextVars, the decimal context: p350).
    program_context = contextvars.copy_context()
    # and prints to the streams the program had there (an arm that prints: ``late_failure``)
    streams = _streams_now() if late_failure else None
    if type(cond) is not Pending:
        cond = _Decided(cond)
    # Later reads of what the arm writes wait for ``writing``: it finishes once the arm has
    # run and every call it issued has finished (``p`` finishes when the arm returns).
    writing = Pending(rt, rt.next_seq(), label, None, cond._calls)
    changes = frozenset(w[len(CHANGES):] for w in writes if w.startswith(CHANGES))
    if "*" in writes and externals.TRACK_READ_RESULTS:
        changes = EVERYTHING
    if changes and not rt.read_results.fence(changes, writing, block.hi):
        return None  # the program holds objects the arm may change: it runs now
    writes = frozenset(w for w in writes if not w.startswith(CHANGES))
    objs = [captured[i] for i in sorted(shared)]
    if shared:
        copies = snapshot(tuple(None if i in shared else v for i, v in enumerate(captured)))
        captured = tuple(v if i in shared else c
                         for i, (v, c) in enumerate(zip(captured, copies)))
    else:
        captured = snapshot(captured)
    memo: dict[int, Any] = {}
    if any(type(v) is types.FunctionType for v in captured):
        # functions the arm calls read their globals as of now
        captured = tuple(pinned(v, memo) for v in captured)
    p = Pending(rt, max(block.ancestors), label, None, cond._calls)
    rt._register(p)
    rt.note_deferred_writer(writing, writes, block)
    rt._when_ready([p], lambda: _when_block_settled(rt, block, writing))
    for obj in objs:
        rt.shared_objects.add(obj, block.lo, block.hi, p)
    read: list[Pending] = []  # pending values the globals of functions it calls hold
    # (shared objects are ordered by rt.shared_objects instead)
    handed = tuple(None if i in shared else v for i, v in enumerate(captured)) \
        if shared else captured
    roots = shared_roots(handed, memo.values(), read)
    rt.readers.add(p, block, (handed, read), roots)

    def run_arm() -> None:
        from opportune.runtime.spawn import _run

        if objs:
            earlier = rt.shared_objects.earlier(objs, block.lo)
            if earlier:  # changes to a shared object land in program order
                rt._when_ready(earlier, run_arm)
                return
        if cond._state == FAILED:
            rt._finish(p, FAILED, cond._value, cond._origin)
            return
        try:
            # the condition's truth is taken where the statement stands (p._seq, before the
            # arm's block): a ``__bool__`` of the program's that prints prints there
            fn = rt.at_place(p._seq, pick, cond._value)
        except BaseException as exc:  # noqa: BLE001 - the branch fails as plain Python would
            rt._finish(p, FAILED, exc, p._seq)
            return
        block.control = block.control | cond._calls  # its calls waited for the condition
        if late_failure:
            fn = _printing_as_of(_failing_in_place(rt, fn), streams)
        count_started()
        program_threads.start(program_context.run, (_run, rt, p, block, fn, captured, {}),
                              "opportune-arm")

    if type(cond) is Pending:
        rt._when_ready([cond], run_arm)
    else:
        run_arm()
    return p


def _streams_now() -> tuple[Any, Any]:
    """``sys.stdout`` and ``sys.stderr`` as the code at this point of program order sees them:
    an arm's own, on an arm's thread (a nested arm prints where its parent would)."""
    return getattr(_local, "streams", None) or (sys.stdout, sys.stderr)


def _printing_as_of(fn: Callable[..., Any], streams: Any) -> Callable[..., Any]:
    """``fn``, whose prints go to ``streams``: the ``sys.stdout`` and ``sys.stderr`` of the
    point where the arm was deferred. Plain Python prints there, so a ``print(x)`` or
    ``print(x, file=sys.stderr)`` that runs later must not write to streams the program set
    afterwards (``sys.stderr = saved``, the end of ``redirect_stdout``: p601). The prints
    read ``_local.streams`` (``dispatch._print``)."""

    def arm(*args: Any) -> Any:
        _local.streams = streams
        try:
            return fn(*args)
        finally:
            _local.streams = None

    return arm


def _failing_in_place(rt: Runtime, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn``, whose error is recorded at the point of program order where it was raised, in
    the arm's block: what the arm printed or called before it stays (plain Python printed it,
    then raised), what comes after it is dropped. The arm's own value then fails with that
    error, as for a failure met from outside its block."""
    from opportune.runtime.scheduler import EscapingFailure, OuterFailure, RuntimeClosed

    def arm(*args: Any) -> Any:
        try:
            return fn(*args)
        except (RuntimeClosed, OuterFailure, EscapingFailure):
            raise
        except BaseException as exc:  # noqa: BLE001 - recorded here, then the arm fails
            raised = rt.new_pending(_DEFERRED)
            rt._finish(raised, FAILED, exc, raised._seq)
            raise OuterFailure(exc, raised._seq) from None

    return arm


class _Decided:
    """A condition already decided, shaped as the finished pending value ``run_arm`` reads."""

    __slots__ = ("_value",)
    _state = DONE
    _calls: frozenset[int] = frozenset()

    def __init__(self, value: Any) -> None:
        self._value = value


def _calls_method_of_unfinished_branch(env: dict[str, Any],
                                       methods: tuple[tuple[str, str, bool], ...]) -> bool:
    """Whether an arm calls a method (``x.m()``, ``x.a.m()``: only the receiver's root name
    matters, whatever the method and however deep) of a name whose value an earlier
    deferred statement or selection still computes, of a class not known yet: that call would
    wait for it. Arms that only pass such values on (``acc + x``) stay inline: they do not
    wait, and running them inline costs no thread."""
    from opportune.runtime.branching import MAYBE_UNBOUND

    for receiver, _method, _deep in methods:
        v = env.get(receiver)
        if type(v) is Pending and v._state == PENDING and v._type is None \
                and v._label in (_DEFERRED, MAYBE_UNBOUND) and not v._speculative:
            return True
    return False


def _when_block_settled(rt: Runtime, block: Scope, writing: Pending) -> None:
    """Finish ``writing`` once no call issued in ``block`` (or in blocks nested in it) is
    still running."""
    with rt._lock:
        live = [rt._live[s] for s in rt._live_order.irange(block.lo, block.hi, (True, False))]
    if live:
        rt._when_ready(live, lambda: _when_block_settled(rt, block, writing))
    else:
        rt._finish(writing, DONE, None, None)


_OPTIMIZED = 0x1  # CO_OPTIMIZED: a function's frame, whose locals the compiler fixed


def capture(names: tuple[str, ...], given: dict[int, Any]) -> tuple[Any, ...]:
    """The values of ``names`` in the caller's frame, as reading each there would find them,
    the unbound marker for one without a value; ``given`` holds those the compiled code read
    itself (by index). In a function: its locals and free variables, or else the globals and
    builtins (``LOAD_FAST``/``LOAD_DEREF``/``LOAD_GLOBAL``); at module level: the locals, the
    globals, the builtins (``LOAD_NAME``)."""
    marker = _MARKER[0] if _MARKER else _unbound_marker()
    frame = sys._getframe(1)
    local, glob, builtin = frame.f_locals, frame.f_globals, frame.f_builtins
    code = frame.f_code
    own = _own_names(code) if code.co_flags & _OPTIMIZED else None
    out = []
    for i, name in enumerate(names):
        if i in given:
            out.append(given[i])
            continue
        if own is None or name in own:
            try:
                out.append(local[name])
                continue
            except KeyError:
                if own is not None:
                    out.append(marker)  # a local of the function without a value
                    continue
        if name in glob:
            out.append(glob[name])
        else:
            out.append(builtin.get(name, marker))
    return tuple(out)


_OWN: dict[types.CodeType, frozenset[str]] = {}


def _own_names(code: types.CodeType) -> frozenset[str]:
    """The names a function's code keeps in its frame, computed once per code object (a
    statement in a loop is captured at every iteration). The table is emptied when it grows
    large, so that the code of programs run before is not kept."""
    own = _OWN.get(code)
    if own is None:
        if len(_OWN) >= 4096:
            _OWN.clear()
        own = _OWN[code] = frozenset((*code.co_varnames, *code.co_cellvars, *code.co_freevars))
    return own


def arm_results(names: tuple[str, ...]) -> tuple[Any, ...]:
    """The values of ``names`` in the calling arm's frame, the unbound marker for one without
    a value: what the arm hands back for the names it may assign."""
    local = sys._getframe(1).f_locals
    marker = _MARKER[0] if _MARKER else _unbound_marker()
    return tuple([local.get(name, marker) for name in names])


def _arm_callable(fn: Callable[..., Any], frame: types.FrameType | None,
                  params: tuple[str, ...], n_assigned: int, held: tuple[Any, ...],
                  in_function: bool) -> tuple[Callable[..., Any], _ModuleArm | None]:
    """The compiled arm as the statement runs it: at module level (``frame`` given) with the
    captured names as its globals (and that wrapper, to bind what it assigned), else given
    the captured names as arguments."""
    if frame is not None:
        module_arm = _ModuleArm(fn, params, n_assigned, frame.f_builtins)
        return module_arm, module_arm
    return _with_names(fn, params, held, in_function), None


def defer_if(cond: Any, held: tuple[Any, ...], arms: Callable[..., Any],
             params: tuple[str, ...], n_assigned: int,
             called: tuple[str, ...], methods: tuple[tuple[str, str, bool], ...],
             other_calls: bool, aliases: tuple[tuple[str, str], ...],
             in_function: bool, here: bool = False, objects: tuple[str, ...] = (),
             changes: bool = False, nested: tuple[str, ...] = ()
             ) -> tuple[Any, ...] | None:
    """An ``if`` statement compiled by :func:`opportune.compiler.deferral.defer_if`: the values
    of the names its arms assign (the unbound marker for one left unbound). ``arms`` runs the
    first arm when its first argument is true, the other otherwise. With ``cond`` still
    pending, the chosen arm runs later and the values are pending; otherwise, or when the
    captured names do not allow it, the arm runs now, as plain Python runs it.

    With ``here`` (module-level code), ``arms`` runs with the captured names as its globals,
    and the values are bound in the caller's namespace instead of returned.

    ``objects``: names among ``params`` whose lists, dicts or sets the arms get as they are
    (``changes``: and may change in place; runtime/arm_objects.py)."""
    rt = _rt()
    frame = sys._getframe(1) if here else None
    arms, module_arm = _arm_callable(arms, frame, params, n_assigned, held, in_function)
    values: tuple[Any, ...] | None = None
    if rt is None:
        pass
    elif type(cond) is Pending and cond._state != DONE:
        then_fn, other_fn = functools.partial(arms, True), functools.partial(arms, False)
        shared, refused = _shared(rt, params, held, objects, changes, nested)
        if refused is None:
            writes = arm_writes(rt, dict(zip(params, held)), called, methods, other_calls,
                                params[:n_assigned], aliases)
            arm = start_arm(rt, cond, held, lambda truth: then_fn if truth else other_fn,
                            writes, _DEFERRED, shared, changes)
            if arm is not None:
                values = _unpack(rt, arm, params[:n_assigned], held[:n_assigned], in_function)
        else:
            rt.wait_for(cond, f"deferred if arm runs in place: {refused}")
    elif changes and objects and rt.shared_objects.entries \
            and _shared(rt, params, held, objects, changes, nested)[1] is None:
        # Decided already, but arms handed these objects before may still run: this one
        # runs after them, in its own block, rather than making the program wait for them.
        chosen = functools.partial(arms, True if cond else False)
        writes = arm_writes(rt, dict(zip(params, held)), called, methods, other_calls,
                            params[:n_assigned], aliases)
        arm = start_arm(rt, True, held, lambda _: chosen, writes, _DEFERRED,
                        _shared(rt, params, held, objects, changes, nested)[0], changes)
        if arm is not None:
            values = _unpack(rt, arm, params[:n_assigned], held[:n_assigned], in_function)
    elif methods and not objects and \
            _calls_method_of_unfinished_branch(dict(zip(params, held)), methods):
        # Decided already, but the arm reads the result of an earlier deferred statement: run
        # it as if the condition were still pending, so that the program does not wait here
        # for that statement when it happened to be decided in time (timing alone must not
        # decide whether the code after this ``if`` waits).
        chosen = functools.partial(arms, True if cond else False)
        writes = arm_writes(rt, dict(zip(params, held)), called, methods, other_calls,
                            params[:n_assigned], aliases)
        arm = start_arm(rt, True, held, lambda _: chosen, writes, _DEFERRED)
        if arm is not None:
            values = _unpack(rt, arm, params[:n_assigned], held[:n_assigned], in_function)
    if values is None:
        values = _run_now(arms, (True if cond else False, *held), frame, module_arm,
                          params[:n_assigned])
    if frame is None:
        return values
    _bind(frame, params[:n_assigned], values)
    return None


def defer_loop(iterable: Any, held: tuple[Any, ...], fn: Callable[..., Any],
               params: tuple[str, ...], n_assigned: int, called: tuple[str, ...],
               methods: tuple[tuple[str, str, bool], ...], other_calls: bool,
               aliases: tuple[tuple[str, str], ...], in_function: bool,
               here: bool = False, objects: tuple[str, ...] = (),
               changes: bool = False, nested: tuple[str, ...] = ()
             ) -> tuple[Any, ...] | None:
    """A ``for`` loop compiled by :func:`opportune.compiler.deferral.defer_loop`, as
    :func:`defer_if`: over a pending iterable the loop runs later as a whole. A streamed value
    is iterated as its items arrive instead (runtime/streams.py), which starts the body
    sooner."""
    rt = _rt()
    frame = sys._getframe(1) if here else None
    fn, module_arm = _arm_callable(fn, frame, params, n_assigned, held, in_function)
    values: tuple[Any, ...] | None = None
    if rt is not None and type(iterable) is Pending and iterable._state != DONE \
            and iterable._stream is None:
        shared, refused = _shared(rt, params, held, objects, changes, nested)
        if refused is None:
            writes = arm_writes(rt, dict(zip(params, held)), called, methods, other_calls,
                                params[:n_assigned], aliases)
            arm = start_arm(rt, iterable, held, lambda _: fn, writes, "for (deferred)", shared,
                            changes)
            if arm is not None:
                values = _unpack(rt, arm, params[:n_assigned], held[:n_assigned],
                                 in_function)
    if values is None:
        values = _run_now(fn, held, frame, module_arm, params[:n_assigned])
    if frame is None:
        return values
    _bind(frame, params[:n_assigned], values)
    return None


def _shared(rt: Runtime, params: tuple[str, ...], held: tuple[Any, ...],
            objects: tuple[str, ...], changes: bool, nested: tuple[str, ...] = ()
            ) -> tuple[frozenset[int], str | None]:
    """The positions of the captured names whose objects the arm gets as they are, and why
    it may not be deferred on them (None when it may; runtime/arm_objects.py). ``nested``:
    those whose dicts may hold containers of their own (``SharedObjects.refusal``)."""
    if not objects:
        return frozenset(), None
    from opportune.runtime.arm_objects import lookers_are_builtins
    from opportune.runtime.spawn import _safe

    shared = frozenset(i for i, n in enumerate(params) if n in objects)
    for i in shared:
        refused = rt.shared_objects.refusal(params[i], held[i], params[i] in nested)
        if refused is not None:
            return shared, refused
    if not lookers_are_builtins(params, held):
        return shared, "a name it hands the object to is not the builtin"
    if changes:
        for i, v in enumerate(held):
            if i not in shared and not _safe(v, False, writers=True):
                return shared, (f"{params[i]!r} holds a value it would get a copy of (or "
                                "could not hold), and it changes a shared object")
    return shared, None


class _ModuleArm:
    """An arm compiled by ``deferral._module_arm_function`` as a function of the captured
    values, ``([taken,] *values)``: it runs the arm's code with those values as its globals,
    as module-level code would read them (a name without a value is missing, and reading it
    raises NameError), and returns the values of the names it may assign. ``env`` keeps the
    names of its last run, so that an arm that raised can still bind what it assigned
    before, as module-level code does."""

    __slots__ = ("builtins", "code", "env", "n_assigned", "params", "taken")

    def __init__(self, fn: Callable[..., Any], params: tuple[str, ...], n_assigned: int,
                 builtins: dict[str, Any]) -> None:
        self.code = fn.__code__  # type: ignore[attr-defined]
        self.taken = self.code.co_argcount == 1
        self.params, self.n_assigned, self.builtins = params, n_assigned, builtins
        self.env: dict[str, Any] | None = None

    def __call__(self, *args: Any) -> tuple[Any, ...]:
        marker = _unbound_marker()
        head, values = (args[:1], args[1:]) if self.taken else ((), args)
        env = {n: v for n, v in zip(self.params, values) if v is not marker}
        env["__builtins__"] = self.builtins
        self.env = env
        types.FunctionType(self.code, env, self.code.co_name)(*head)
        return self.assigned()

    def assigned(self) -> tuple[Any, ...]:
        marker = _unbound_marker()
        env = self.env or {}
        return tuple(env.get(n, marker) for n in self.params[:self.n_assigned])


def _run_now(fn: Callable[..., Any], held: tuple[Any, ...], frame: types.FrameType | None,
             arm: _ModuleArm | None, names: tuple[str, ...]) -> tuple[Any, ...]:
    """``fn(*held)``, the arm run where the statement stands (``held`` starts with which arm
    of an ``if``); if it raises in module-level code, the names it assigned before are bound
    first, as plain Python leaves them."""
    try:
        result: tuple[Any, ...] = fn(*held)
        return result
    except BaseException:
        if frame is not None and arm is not None and arm.env is not None:
            _bind(frame, names, arm.assigned())
        raise


def _bind(frame: types.FrameType, names: tuple[str, ...], values: tuple[Any, ...]) -> None:
    """Bind ``names`` in the namespace of ``frame``, module-level code or an arm of it (whose
    assigned names are its globals); a value that is the unbound marker leaves its name
    unbound (it had none when it was captured)."""
    marker = _unbound_marker()
    code = frame.f_code
    if code.co_flags & _OPTIMIZED:
        local = frozenset((*code.co_varnames, *code.co_cellvars, *code.co_freevars))
        if local.intersection(names):
            raise RuntimeError(
                f"opportune: deferred statement in {code.co_name} binds local names "
                f"{sorted(local.intersection(names))}: a compiler error; please report it")
        target = frame.f_globals
    else:
        target = frame.f_locals
    for name, value in zip(names, values):
        if value is not marker:
            target[name] = value


def _with_names(fn: Callable[..., Any], params: tuple[str, ...], held: tuple[Any, ...],
                in_function: bool) -> Callable[..., Any]:
    """``fn``, raising NameError where plain Python would: at module level, reading a name
    that had no value raises NameError, not the UnboundLocalError of the arm function."""
    marker = _MARKER[0] if _MARKER else _unbound_marker()
    for v in held:
        if v is marker:
            break
    else:
        return fn  # every name has a value: the common case, checked without building a set
    unbound = frozenset(n for n, v in zip(params, held) if v is marker)
    if in_function:
        # A free variable of the function (a name of the enclosing one) without a value
        # raises NameError in plain Python, not the arm's UnboundLocalError.
        # (the frame of the compiled statement: defer_if/defer_loop -> _arm_callable -> here)
        free = unbound.intersection(sys._getframe(3).f_code.co_freevars)
        return _as_global(fn, free, _free_variable_error) if free else fn
    return _as_global(fn, unbound)


def _free_variable_error(name: str) -> NameError:
    """The NameError this Python raises for reading free variable ``name`` without a value
    (its wording differs between versions), made by doing just that."""
    ns: dict[str, Any] = {}
    exec(f"def outer():\n    def inner():\n        return {name}\n"  # noqa: S102
         f"    inner()\n    {name} = None\n", ns)
    try:
        ns["outer"]()
    except NameError as exc:
        exc.__traceback__ = None
        return exc
    return NameError(f"free variable {name!r} without a value", name=name)


def _global_name_error(name: str) -> NameError:
    return NameError(f"name {name!r} is not defined", name=name)


def _as_global(fn: Callable[..., Any], unbound: frozenset[str],
               error: Callable[[str], NameError] = _global_name_error) -> Callable[..., Any]:
    """An arm of a module-level ``if`` is a function, so reading a name it was handed unbound
    raises UnboundLocalError; plain Python raises NameError there (``error`` makes it)."""
    def arm(*args: Any) -> Any:
        try:
            return fn(*args)
        except UnboundLocalError as exc:
            name = getattr(exc, "name", None) or str(exc).split("'")[1:2]
            name = name[0] if isinstance(name, list) and name else name
            if name in unbound:
                raise error(name) from None
            raise

    return arm


def _unpack(rt: Runtime, arm: Pending, names: tuple[str, ...], held: tuple[Any, ...],
            in_function: bool) -> tuple[Any, ...]:
    """One pending value per assigned name (``held``: their values at the branch); a name the
    taken arm left unbound raises where it is used, as in plain Python."""
    from opportune.runtime.branching import MAYBE_UNBOUND, settle_name

    marker = _unbound_marker()

    def may_be_unbound(was: Any) -> bool:
        return was is marker or type(was) is Pending and was._label == MAYBE_UNBOUND

    results = [rt.new_pending(MAYBE_UNBOUND if may_be_unbound(was) else _DEFERRED,
                              arm._calls) for was in held]

    def done() -> None:
        if arm._state == FAILED:
            for p in results:
                rt._finish(p, FAILED, arm._value, arm._origin)
            return
        for i, p in enumerate(results):
            settle_name(rt, p, arm._value[i], names[i], in_function)

    rt._when_ready([arm], done)
    return tuple(results)


def assigned_before(error: BaseException, n: int) -> tuple[Any, ...]:
    """What an arm run where it stands, in a function, had in the ``n`` names it may assign
    when it raised ``error``: plain Python leaves those bound for the function's handler (the
    unbound marker for one without a value). Read from the arm's frame in the traceback."""
    from opportune.compiler.deferral import TAKEN
    from opportune.compiler.registry import is_arm_code

    marker = _unbound_marker()
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if is_arm_code(code):
            params = code.co_varnames[:code.co_argcount]
            if params and params[0] == TAKEN:
                params = params[1:]
            local = tb.tb_frame.f_locals
            return tuple(local.get(name, marker) for name in params[:n])
        tb = tb.tb_next
    return (marker,) * n
