"""``if`` statements on a pending condition whose arms make calls: the chosen arm runs later.

In ``if best is None: <a loop of LLM calls that picks a fallback>`` plain Python waits for the
condition, and so would the program: the arms make calls, so they cannot be evaluated ahead of
it (no speculation past a control decision). Yet the code after the ``if`` (the next step's tool
calls) often does not depend on it at all. When the arms can neither see nor change anything but
the names they read and assign (the test a function must pass to run concurrently,
:mod:`opportune.compiler.purity`), each arm is compiled as a function of those names. At run
time, with the condition still pending, the names are captured as they are now, the program goes
on, and the arm the condition picks runs once it is decided, in a block of program order reserved
at the ``if``: its calls, failures and order against other calls sort exactly where plain Python
would have made them. The names the arms assign become pending values.

The syntactic half lives here; :mod:`opportune.runtime.deferral` decides at run time whether the
captured values allow it and runs the arm. Whenever it declines, the ``if`` runs as written.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from opportune.compiler import arm_objects, traversal
from opportune.compiler.purity import reads_only

DEFER_IF = "__opportune_defer_if__"
DEFER_LOOP = "__opportune_defer_loop__"
ASSIGNED_BEFORE = "__opportune_assigned_before__"
MAX_NESTING = 8  # deferrable statements inside deferrable statements (each nests a block)
CAPTURE = "__opportune_capture__"
RESULTS = "__opportune_arm_results__"
TAKEN = "__opp_taken"  # the first parameter of an if's arms: whether the condition held
UNBOUND = "__opportune_unbound__"  # installed by the runtime hooks (see compiler/rollback.py)
TYPE = "__opportune_type__"  # ``type`` (compiler/callsites.TYPE)
PENDING = "__opportune_pending__"  # runtime/values.Pending (compiler/transform.PENDING)
LIVE = "__opportune_live__"  # runtime/context.LIVE (compiler/transform.LIVE)

_NO_TYPE_PARAMS: dict[str, list[ast.AST]] = {"type_params": []} if sys.version_info >= (3, 12) \
    else {}
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


@dataclass(frozen=True)
class ArmNames:
    """The names arms assign and read, and how they make calls (for the resources they may
    write, decided at run time from what the called names hold)."""

    assigned: tuple[str, ...]
    read: tuple[str, ...]
    called: tuple[str, ...]  # f(...) with f a name
    # x.m(...), x.a.b.m(...) or x[i].m(...) with x a name: (x, m, whether the chain is longer)
    methods: tuple[tuple[str, str, bool], ...]
    other_calls: bool  # any other call form: what it calls is not known from the names
    # names the arms bind to (a part of) another name's value: ``y = x.a``, ``for y in x``
    aliases: tuple[tuple[str, str], ...] = ()
    # names whose lists, dicts or sets the arms share with the program instead of getting a
    # copy: they may change them in place (compiler/arm_objects.py)
    objects: tuple[str, ...] = ()
    changes: bool = False  # whether they may change those objects in place, or print
    # those of ``objects`` whose dicts may hold containers the arms fill (arm_objects.NESTED)
    nested: tuple[str, ...] = ()

    @property
    def params(self) -> tuple[str, ...]:
        return self.assigned + tuple(n for n in self.read if n not in self.assigned)


def arm_names(nodes: list[ast.AST]) -> ArmNames:
    """Names bound and read by ``nodes`` in their own scope (not those local to a comprehension
    or a lambda inside them), and their call sites, each in the order it first appears."""
    assigned: dict[str, None] = {}
    read: dict[str, None] = {}
    called: dict[str, None] = {}
    methods: dict[tuple[str, str, bool], None] = {}
    aliases: dict[tuple[str, str], None] = {}
    other = False
    empty: frozenset[str] = frozenset()
    # each node with the names local to a comprehension or lambda around it; taken from the
    # end, so nodes are met in the order a recursive walk meets them
    stack: list[tuple[ast.AST, frozenset[str]]] = [(n, empty) for n in reversed(nodes)]
    while stack:
        node, bound = stack.pop()
        if isinstance(node, ast.Name):
            if node.id not in bound:
                (read if isinstance(node.ctx, ast.Load) else assigned)[node.id] = None
            continue
        if isinstance(node, _COMPREHENSIONS):
            items: list[tuple[ast.AST, frozenset[str]]] = []
            inner = set(bound)
            for i, gen in enumerate(node.generators):
                items.append((gen.iter, bound if i == 0 else frozenset(inner)))
                inner |= {n.id for n in traversal.nodes(gen.target) if isinstance(n, ast.Name)}
                items.extend((cond, frozenset(inner)) for cond in gen.ifs)
            parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            items.extend((part, frozenset(inner)) for part in parts)
            stack.extend(reversed(items))
            continue
        if isinstance(node, ast.Lambda):
            a = node.args
            params = {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs}
            params |= {x.arg for x in (a.vararg, a.kwarg) if x is not None}
            stack.append((node.body, bound | params))
            defaults = [*a.defaults, *(d for d in a.kw_defaults if d is not None)]
            stack.extend((d, bound) for d in reversed(defaults))
            continue
        if isinstance(node, ast.NamedExpr):
            assigned[node.target.id] = None  # binds in the arm's scope even in a comprehension
            stack.append((node.value, bound))
            continue
        if isinstance(node, (ast.Assign, ast.For)):
            targets, value = (node.targets, node.value) if isinstance(node, ast.Assign) \
                else ([node.target], node.iter)
            root = _chain_root(value)
            if root is not None and root not in bound:
                for t in targets:
                    for n in traversal.nodes(t):
                        if isinstance(n, ast.Name):
                            aliases[(n.id, root)] = None
        elif isinstance(node, ast.Call):
            func = node.func
            root = _chain_root(func.value) if isinstance(func, ast.Attribute) else None
            if isinstance(func, ast.Name):
                if func.id not in bound:
                    called[func.id] = None
            elif isinstance(func, ast.Attribute) and root is not None:
                if root not in bound:
                    methods[(root, func.attr, not isinstance(func.value, ast.Name))] = None
            elif isinstance(func, ast.Attribute) and isinstance(
                    func.value, (ast.Constant, ast.JoinedStr, ast.List, ast.Dict, ast.Tuple)):
                pass  # a method of a literal: ``"{}".format(x)``, ``", ".join(names)``
            else:
                other = True
        stack.extend((child, bound) for child in reversed(traversal.children(node)))
    return ArmNames(tuple(assigned), tuple(read), tuple(called), tuple(methods), other,
                    tuple(aliases))


def _chain_root(node: ast.expr) -> str | None:
    """``x`` for ``x``, ``x.a.b`` or ``x[i].a``; None for anything else."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


_LEAVE = (ast.Return, ast.Raise, ast.Assert)
_JUMP = (ast.Break, ast.Continue)
_OWN_SCOPE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_LOOPS = (ast.For, ast.While, ast.AsyncFor)


def _escapes(stmts: list[ast.stmt]) -> bool:
    """Whether control leaves the arm other than by falling off its end: ``return``, ``raise``
    or ``assert`` (the program stops there: nothing after the ``if`` may run ahead of it), or
    a ``break``/``continue`` of a loop outside it. Only statements can do that, so only the
    statement lists are walked (a lambda holds none)."""
    stack: list[tuple[ast.stmt, bool]] = [(s, False) for s in stmts]
    while stack:
        node, in_loop = stack.pop()
        if isinstance(node, _LEAVE):
            return True
        if isinstance(node, _JUMP):
            if not in_loop:
                return True
            continue
        if isinstance(node, _OWN_SCOPE):
            continue
        if isinstance(node, _LOOPS):
            stack.extend((c, True) for c in node.body)
            stack.extend((c, in_loop) for c in node.orelse)
            continue
        for field in ("body", "orelse", "finalbody"):
            stack.extend((c, in_loop) for c in getattr(node, field, ()))
        for part in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
            stack.extend((c, in_loop) for c in part.body)
    return False


def _as_function(name: str, body: list[ast.stmt], params: tuple[str, ...]) -> ast.FunctionDef:
    return ast.FunctionDef(
        name=name,
        args=ast.arguments(posonlyargs=[], args=[ast.arg(p) for p in params], vararg=None,
                           kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=body or [ast.Pass()], decorator_list=[], returns=None, **_NO_TYPE_PARAMS)


def movable_arms(arms: list[list[ast.stmt]]) -> bool:
    """Whether these arms may run later, as functions of the names they use: they change no
    object they did not create, have no effect of their own (``print``, files), and neither
    leave the enclosing code (``return``, ``raise``, ``break``) nor depend on its frame
    (``yield``, ``super()``)."""
    stmts = [s for arm in arms for s in arm]
    return _movable(stmts, arm_names(stmts))


def _movable(stmts: list[ast.stmt], names: ArmNames) -> bool:
    """:func:`movable_arms` with the names already found (they are needed again to compile
    the statement, and nested statements make every level walk the code below it)."""
    if _escapes(stmts):
        return False
    fn = _as_function("arm", stmts, names.params)
    every = traversal.nodes(fn)
    if any(isinstance(n, ast.Name) and n.id in ("super", "__class__") for n in every):
        return False
    return reads_only(fn, every)


def _makes_calls(stmts: list[ast.stmt]) -> bool:
    return any(isinstance(n, ast.Call) for s in stmts for n in traversal.nodes(s))


def _sharing(names: ArmNames, objects: frozenset[str], changes: bool = False,
             nested: frozenset[str] = frozenset()) -> ArmNames:
    """``names`` with the objects its arms share with the program (see ``ArmNames.objects``)."""
    shared = tuple(n for n in names.params if n in objects)
    return dataclasses.replace(names, objects=shared, changes=changes,
                               nested=tuple(n for n in shared if n in nested)) \
        if shared or changes else names


def prepare_if(node: ast.If, objects: frozenset[str] = frozenset(),
               changing: bool = False, nested: frozenset[str] = frozenset()
               ) -> ArmNames | None:
    """The names of ``node``'s arms if the compiler should prepare it to run its chosen arm
    later (see :func:`deferrable`), else None; taken from the source before it is
    rewritten. ``objects``: the names of the function whose objects arms may share with the
    program (compiler/arm_objects.py); with ``changing``, arms may also change those objects
    and print (:func:`_movable_changing`); ``nested``: those whose dicts may hold containers
    the arms fill (``arm_objects.nested_names``)."""
    stmts = [*node.body, *node.orelse]
    changes = changing and bool(arm_objects.changed(stmts) & objects)
    if not changes and not _makes_calls(stmts):
        return None
    names = arm_names(stmts)
    if _movable(stmts, names):
        return _sharing(names, objects, nested=nested)
    if changing and _movable_changing(stmts, names, objects, nested):
        return _sharing(names, objects, True, nested)
    return None


def _movable_changing(stmts: list[ast.stmt], names: ArmNames, objects: frozenset[str],
                      nested: frozenset[str] = frozenset()) -> bool:
    """Whether arms that change objects of ``objects`` in place, or print, may run later: as
    :func:`_movable` otherwise; they neither rebind those names nor hand their objects on
    (compiler/arm_objects.py)."""
    if _escapes(stmts) or objects.intersection(names.assigned):
        return False
    fn = _as_function("arm", stmts, names.params)
    every = traversal.nodes(fn)
    if any(isinstance(n, ast.Name) and n.id in ("super", "__class__") for n in every):
        return False
    return reads_only(fn, every, objects.intersection(names.params), prints=True,
                      nested=nested) \
        and arm_objects.arm_reads_only_look(stmts, objects)


def deferrable(node: ast.If) -> bool:
    """Whether the compiler should prepare ``node`` to run its chosen arm later: its arms make
    calls (a call-free ``if`` is if-converted instead) and may be moved."""
    return prepare_if(node) is not None


_ITERABLE = "__opp_iterable"  # stands for the loop's input until the statement has a number


def prepare_loop(node: ast.For, objects: frozenset[str] = frozenset(),
                 nested: frozenset[str] = frozenset()) -> ArmNames | None:
    """The names of a loop that should be prepared to run later (see
    :func:`deferrable_loop`), else None; the iterable stands as ``__opp_iterable`` (see
    :func:`numbered`)."""
    if not _makes_calls([*node.body, *node.orelse]):
        return None
    loop = copy.copy(node)
    loop.iter = ast.Name(_ITERABLE, ast.Load())
    names = arm_names([loop])
    return _sharing(names, objects, nested=nested) if _movable([loop], names) else None


def numbered(names: ArmNames, k: int) -> ArmNames:
    """``names`` of :func:`prepare_loop` with the iterable named as statement ``k`` names it,
    ``__opp_din<k>``: what :func:`loop_names` gives."""
    def rename(n: str) -> str:
        return f"__opp_din{k}" if n == _ITERABLE else n

    return ArmNames(tuple(map(rename, names.assigned)), tuple(map(rename, names.read)),
                    tuple(map(rename, names.called)),
                    tuple((rename(r), m, longer) for r, m, longer in names.methods),
                    names.other_calls,
                    tuple((rename(a), rename(b)) for a, b in names.aliases), names.objects,
                    names.changes, names.nested)


def deferrable_loop(node: ast.For) -> bool:
    """Whether ``for`` over a value that may be pending could run later as a whole: its body
    makes calls (otherwise there is nothing to overlap) and the loop may be moved."""
    return prepare_loop(node) is not None


def _load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def _store(name: str) -> ast.Name:
    return ast.Name(name, ast.Store())


def _captured(name: str) -> ast.Name:
    """A read of ``name`` that hands its value to an arm or checks it for the unbound marker:
    a shared object's reads need not wait there (compiler/arm_objects.py)."""
    read = _load(name)
    read._opportune_captured = True  # type: ignore[attr-defined]
    return read


def _hold(name: str, into: str) -> ast.Try:
    """``into = name``, or the unbound marker if ``name`` has no value."""
    read = _captured(name)
    return ast.Try(
        body=[ast.Assign([_store(into)], read)],
        handlers=[ast.ExceptHandler(type=_load("NameError"), name=None,
                                    body=[ast.Assign([_store(into)], _load(UNBOUND))])],
        orelse=[], finalbody=[])


def capture(names: tuple[str, ...], explicit: tuple[str, ...], prefix: str
            ) -> tuple[list[ast.stmt], ast.Call]:
    """The values of ``names`` as they are now, the unbound marker for one without a value:
    ``__opportune_capture__(names)`` looks each up in the caller's frame as the interpreter
    would (runtime/deferral.py). One call, however many names: a ``try`` per name made the
    compiled code many times the size of the source.

    ``explicit`` names are read here instead (a guarded read each, into ``<prefix><i>``): a
    name the enclosing function only reads from a function around it is a free variable of
    that function only while the code reads it there, and the arms that now read it are
    functions of their own.
    """
    reads = [(i, n) for i, n in enumerate(names) if n in explicit]
    given = ast.Dict([ast.Constant(i) for i, _ in reads],
                     [_load(f"{prefix}{i}") for i, _ in reads])
    call = ast.Call(_load(CAPTURE), [ast.Constant(names), given], [])
    return [_hold(n, f"{prefix}{i}") for i, n in reads], call


def _arm_function(name: str, arms: list[list[ast.stmt]], names: ArmNames) -> ast.FunctionDef:
    """``def name([taken,] params): <unbind the unbound>; <arm>; return (assigned...)``.

    An ``if`` has both arms in one function, the first parameter saying which runs, so the
    parameters are unbound and the results gathered in one place. A name that had no value
    when it was captured is unbound again, so that reading it raises as it would have; one the
    arm leaves unassigned is handed back as the marker (``__opportune_arm_results__`` reads
    the arm's own frame).
    """
    read = set(names.read)
    unbind = [ast.If(ast.Compare(_captured(p), [ast.Is()], [_load(UNBOUND)]),
                     [ast.Delete([ast.Name(p, ast.Del())])], [])
              for p in names.params if p in read]  # one never read needs no unbinding
    if len(arms) == 2:
        body: list[ast.stmt] = [ast.If(_load(TAKEN), arms[0] or [ast.Pass()],
                                       arms[1] or [])]
        params = (TAKEN, *names.params)
    else:
        body, params = arms[0], names.params
    ret = ast.Return(ast.Call(_load(RESULTS), [ast.Constant(names.assigned)], []))
    return _as_function(name, [*unbind, *body, ret], params)


def _module_arm_function(name: str, arms: list[list[ast.stmt]], names: ArmNames
                         ) -> ast.FunctionDef:
    """``def name([taken]): global <names>; <arm>``, for a statement of module-level code.

    The runtime runs its code with the captured names as its globals
    (``runtime/deferral._ModuleArm``), so the names behave as module-level names do: reading
    one without a value raises NameError, the builtins stand behind them, and what the arm
    assigns stays in that dictionary. No parameters to unbind and no values to hand back: the
    arm is its body and one ``global`` line.
    """
    # every name it uses, read ones too: an arm nested in another would otherwise read the
    # outer arm's own temporaries (``__opp_din<k>``) through a closure, not the captured value
    declare = [ast.Global(list(names.params))] if names.params else []
    for g in declare:
        g._opportune_captured = True  # type: ignore[attr-defined]  # not the module's: see changes.py
    if len(arms) == 2:
        body: list[ast.stmt] = [ast.If(_load(TAKEN), arms[0] or [ast.Pass()], arms[1] or [])]
        params: tuple[str, ...] = (TAKEN,)
    else:
        body, params = arms[0], ()
    return _as_function(name, [*declare, *body], params)


def _module_statement(k: int, input_expr: ast.expr, names: ArmNames, arm: ast.FunctionDef,
                      call: ast.Call) -> list[ast.stmt]:
    """The compiled statement in module-level code: the runtime binds the assigned names in
    the caller's namespace itself (the module's, or the globals of the arm around it), so
    there is nothing to bind here."""
    _, held = capture(names.params, (), "")
    call.args[1:1] = [held]
    call.args.append(ast.Constant(True))  # bind where it stands
    run = ast.Expr(call)
    run._opportune_binds = names.assigned  # type: ignore[attr-defined]  # see changes.py
    return [
        ast.Assign([_store(f"__opp_din{k}")], input_expr),
        arm,
        run,
        ast.Delete([ast.Name(arm.name, ast.Del())]),
    ]


def _statement(k: int, input_expr: ast.expr, names: ArmNames, arm: ast.FunctionDef,
               call: ast.Call, explicit: tuple[str, ...], in_try: bool = False
               ) -> list[ast.stmt]:
    """The compiled statement: define the arm, capture the names, let the runtime run it (now,
    or later when the input is still pending), and bind the names it assigned to its results.
    A result that is the unbound marker leaves its name unbound: it had no value when it was
    captured, and the arm ran in a frame of its own.

    The arm is the statement's only copy of its body, so nested deferrable statements keep
    the compiled code linear in the source.

    ``in_try``: the statement stands in a ``try`` of the function, whose handler may read
    what an arm that raised assigned before the error; the names are bound from what the arm
    had (``runtime/deferral.assigned_before``), then the error is raised again.
    """
    result = f"__opp_dr{k}"
    reads, held = capture(names.params, explicit, f"__opp_dh{k}_")
    call.args[1:1] = [held]
    bind: list[ast.stmt] = []
    for i, n in enumerate(names.assigned):
        item = ast.Subscript(_load(result), ast.Constant(i), ast.Load())
        bind.append(ast.If(
            ast.Compare(item, [ast.IsNot()], [_load(UNBOUND)]),
            [ast.Assign([_store(n)], ast.Subscript(_load(result), ast.Constant(i),
                                                   ast.Load()))], []))
    temps = [f"__opp_dh{k}_{i}" for i, n in enumerate(names.params) if n in explicit]
    run: ast.stmt = ast.Assign([_store(result)], call)
    after: list[ast.stmt] = []
    if in_try and names.assigned:
        error, raised = f"__opp_de{k}", f"__opp_dx{k}"
        run = ast.Try(
            [run, ast.Assign([_store(raised)], ast.Constant(None))],
            [ast.ExceptHandler(_load("BaseException"), error, [
                ast.Assign([_store(result)], ast.Call(
                    _load(ASSIGNED_BEFORE),
                    [_load(error), ast.Constant(len(names.assigned))], [])),
                ast.Assign([_store(raised)], _load(error)),
            ])], [], [])
        after = [ast.If(ast.Compare(_load(raised), [ast.IsNot()], [ast.Constant(None)]),
                        [ast.Try([ast.Raise(_load(raised))], [], [],
                                 [ast.Delete([ast.Name(raised, ast.Del())])])], [])]
    return [
        ast.Assign([_store(f"__opp_din{k}")], input_expr),
        arm,
        *reads,
        run,
        ast.Delete([ast.Name(n, ast.Del()) for n in (arm.name, *temps)]),
        *bind,
        ast.Delete([ast.Name(result, ast.Del())]),
        *after,
    ]


def _runtime_call(func: str, k: int, arm: str, names: ArmNames,
                  in_function: bool) -> ast.Call:
    shared = [ast.keyword("objects", ast.Constant(names.objects))] if names.objects else []
    if names.changes:
        shared.append(ast.keyword("changes", ast.Constant(True)))
    if names.nested:
        shared.append(ast.keyword("nested", ast.Constant(names.nested)))
    return ast.Call(_load(func), [
        _load(f"__opp_din{k}"),
        _load(arm),
        ast.Constant(names.params), ast.Constant(len(names.assigned)),
        ast.Constant(names.called), ast.Constant(names.methods),
        ast.Constant(names.other_calls), ast.Constant(names.aliases),
        ast.Constant(in_function),
    ], shared)


def read_only(names: ArmNames) -> tuple[str, ...]:
    """The names the arms read but never assign: in a function nested in another, such a name
    may be a free variable (see :func:`capture`)."""
    return tuple(n for n in names.read if n not in names.assigned)


def defer_if(node: ast.If, names: ArmNames, counter: Iterator[int],
             in_function: bool, explicit: tuple[str, ...] = (),
             in_try: bool = False, plain_copy: bool = True) -> list[ast.stmt]:
    """The compiled form of an (already rewritten) ``if`` whose arms may move. ``explicit``:
    the names to read where the statement stands (see :func:`capture`). ``in_function``:
    whether the statement is in a function of the program; otherwise it is module-level code
    (perhaps inside the arm of another such statement), whose names are globals.

    With ``plain_copy`` (the statement may run many times: in a function or a loop), the
    ``if`` as written stands beside the deferred form (:func:`_decided_first`): a condition
    that is no pending value takes it, at CPython's speed."""
    k = next(counter)
    fn = f"__opp_arms{k}"
    call = _runtime_call(DEFER_IF, k, fn, names, in_function)
    if not in_function:
        arm = _module_arm_function(fn, [node.body, node.orelse], names)
        converted = _module_statement(k, node.test, names, arm, call)
    else:
        arm = _arm_function(fn, [node.body, node.orelse], names)
        converted = _statement(k, node.test, names, arm, call, explicit, in_try)
    return _decided_first(converted, node, names) if plain_copy else converted


MAX_PLAIN_LEVELS = 2  # nested ``if``s with the plain copy inside loops of a deferred arm
_PLAIN_LEVEL = "_opportune_plain_level"  # on the ``if`` that picks between the two forms
# the most nodes the copied arms may have: a loop over plain data has small arms, and the
# bound keeps the copies of long ``elif`` chains and of whole programs' arms out
MAX_PLAIN_NODES = 400


def _at_most(stmts: list[ast.stmt], limit: int) -> bool:
    """Whether ``stmts`` have at most ``limit`` nodes; the walk stops past the limit, so that
    each ``if`` of a deep nest does not walk everything inside it."""
    out: list[ast.AST] = list(stmts)
    fields_of = traversal.child_fields
    for node in out:  # grows as it is walked
        if len(out) > limit:
            return False
        for field in fields_of(type(node)):
            value = getattr(node, field, None)
            if type(value) is list:
                out.extend(v for v in value if isinstance(v, ast.AST))
            elif isinstance(value, ast.AST):
                out.append(value)
    return len(out) <= limit


class _DeferredOnly(ast.NodeTransformer):
    """Inside a deferred arm, the nested ``if``s with both forms keep the deferred one only,
    except in a loop of the arm (a loop runs its body many times, often over plain data):
    the arm runs on a pending condition, or because the runtime chose to defer it, where the
    nested ``if``s are mostly deferred too. Without this, each level of nesting would double
    the code. ``kept``: the deepest level of those kept (:data:`_PLAIN_LEVEL`). Without
    ``apply`` it only counts, changing nothing."""

    def __init__(self, apply: bool) -> None:
        self.apply = apply  # else only count
        self.kept = 0
        self._loops = 0

    def visit_If(self, node: ast.If) -> Any:
        level = getattr(node, _PLAIN_LEVEL, 0)
        if level and not self._loops:
            deferred = self.visit_list(node.body)  # the deferred form
            return deferred if self.apply else node
        self.kept = max(self.kept, level)
        return self.generic_visit(node) if self.apply else self._count(node)

    def visit_list(self, stmts: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for s in stmts:
            new = self.visit(s)
            out.extend(new if isinstance(new, list) else [new])
        return out

    def _count(self, node: ast.AST) -> ast.AST:
        for child in ast.iter_child_nodes(node):
            self.visit(child)
        return node

    def _loop(self, node: ast.AST) -> ast.AST:
        self._loops += 1
        try:
            return self.generic_visit(node) if self.apply else self._count(node)
        finally:
            self._loops -= 1

    visit_For = visit_While = visit_AsyncFor = _loop

    def generic_visit(self, node: ast.AST) -> ast.AST:
        return super().generic_visit(node) if self.apply else self._count(node)


def _decided_first(converted: list[ast.stmt], node: ast.If, names: ArmNames
                   ) -> list[ast.stmt]:
    """The deferred ``if`` (``converted``) with the ``if`` as written in front of it, taken
    when the condition is no pending value and nothing at run time could make
    ``runtime/deferral.defer_if`` defer the arm anyway: in a loop over plain data, capturing
    the names and calling the arm for each iteration would cost many times the ``if`` itself
    (a program without external calls must run at about CPython's speed).

    ``defer_if`` defers an arm on a decided condition in two cases, which the test names too:
    arms changing shared objects while arms handed such objects may still run
    (``__opportune_shared_arms__``), and arms calling a method of a name an earlier deferred
    statement still computes (only while some value is being computed:
    ``__opportune_live__``). A pending condition, finished or not, takes the deferred form,
    which decides as before.

    ``node``: the rewritten ``if``, whose arms the deferred form holds too (copied here). The
    copy would double the code per level of nesting: the deferred arm keeps the nested ones'
    deferred form only (:class:`_DeferredOnly`), and an ``if`` with more than
    :data:`MAX_PLAIN_LEVELS` levels of such ``if``s kept in it has the deferred form only."""
    din = converted[0]
    assert isinstance(din, ast.Assign) and isinstance(din.targets[0], ast.Name)
    cond = din.targets[0].id
    arm = converted[1]
    assert isinstance(arm, ast.FunctionDef)
    if not _at_most([*node.body, *node.orelse], MAX_PLAIN_NODES):
        return converted
    count = _DeferredOnly(apply=False)
    count.visit_list(arm.body)
    level = count.kept + 1
    if level > MAX_PLAIN_LEVELS:
        return converted
    plain = ast.If(_load(cond), traversal.copy_tree(node.body), traversal.copy_tree(node.orelse))
    arm.body = _DeferredOnly(apply=True).visit_list(arm.body)
    tests: list[ast.expr] = [ast.Compare(ast.Call(_load(TYPE), [_load(cond)], []), [ast.Is()],
                                         [_load(PENDING)])]
    if names.changes:
        tests.append(_load(arm_objects.LIVE))
    if names.methods and not names.objects:
        tests.append(_load(LIVE))
    test = tests[0] if len(tests) == 1 else ast.BoolOp(ast.Or(), tests)
    choose = ast.If(test, converted[1:], [plain])
    setattr(choose, _PLAIN_LEVEL, level)
    return [din, choose]


def loop_names(node: ast.For, k: int) -> ArmNames:
    """The names of a loop, iterable excluded (it is handed to the loop's function as
    ``__opp_din<k>``), taken from the source before it is rewritten."""
    source = copy.copy(node)
    source.iter = _load(f"__opp_din{k}")
    return arm_names([source])


def defer_loop(node: ast.For, names: ArmNames, k: int, in_function: bool,
               explicit: tuple[str, ...] = (), in_try: bool = False) -> list[ast.stmt]:
    """The compiled form of an (already rewritten) ``for`` loop that may move: the iterable is
    evaluated where the loop stands and handed to the loop's function; when it is still
    pending, the loop runs later as a whole, and the names it assigns (its target included)
    become pending values. ``k`` is the number :func:`loop_names` was given."""
    loop = copy.copy(node)
    loop.iter = _load(f"__opp_din{k}")
    fn = f"__opp_loop_arm{k}"
    call = _runtime_call(DEFER_LOOP, k, fn, names, in_function)
    if not in_function:
        arm = _module_arm_function(fn, [[loop]], names)
        return _module_statement(k, node.iter, names, arm, call)
    explicit = tuple(n for n in explicit if n != f"__opp_din{k}")
    return _statement(k, node.iter, names, _arm_function(fn, [[loop]], names), call, explicit,
                      in_try)
