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
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from opportune.compiler.purity import analyse

DEFER_IF = "__opportune_defer_if__"
DEFER_LOOP = "__opportune_defer_loop__"
MAX_NESTING = 2  # deferrable statements inside deferrable statements, counting the outer one
UNBOUND = "__opportune_unbound__"  # installed by the runtime hooks (see compiler/rollback.py)
IF_UNDECIDED = "__opportune_undecided__"

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
    methods: tuple[tuple[str, str], ...]  # x.m(...) with x a name
    other_calls: bool  # any other call form: what it calls is not known from the names

    @property
    def params(self) -> tuple[str, ...]:
        return self.assigned + tuple(n for n in self.read if n not in self.assigned)


def arm_names(nodes: list[ast.AST]) -> ArmNames:
    """Names bound and read by ``nodes`` in their own scope (not those local to a comprehension
    or a lambda inside them), and their call sites."""
    assigned: list[str] = []
    read: list[str] = []
    called: list[str] = []
    methods: list[tuple[str, str]] = []
    other = [False]

    def add(group: list[str], name: str) -> None:
        if name not in group:
            group.append(name)

    def visit(node: ast.AST, bound: frozenset[str]) -> None:
        if isinstance(node, _COMPREHENSIONS):
            inner = set(bound)
            for i, gen in enumerate(node.generators):
                visit(gen.iter, bound if i == 0 else frozenset(inner))
                inner |= {n.id for n in ast.walk(gen.target) if isinstance(n, ast.Name)}
                for cond in gen.ifs:
                    visit(cond, frozenset(inner))
            parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            for part in parts:
                visit(part, frozenset(inner))
            return
        if isinstance(node, ast.Lambda):
            a = node.args
            params = {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs}
            params |= {x.arg for x in (a.vararg, a.kwarg) if x is not None}
            for d in [*a.defaults, *(d for d in a.kw_defaults if d is not None)]:
                visit(d, bound)
            visit(node.body, bound | params)
            return
        if isinstance(node, ast.NamedExpr):
            add(assigned, node.target.id)  # binds in the arm's scope even in a comprehension
            visit(node.value, bound)
            return
        if isinstance(node, ast.Name):
            if node.id in bound:
                return
            add(read if isinstance(node.ctx, ast.Load) else assigned, node.id)
            return
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                if func.id not in bound:
                    add(called, func.id)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                    and func.value.id not in bound:
                if (func.value.id, func.attr) not in methods:
                    methods.append((func.value.id, func.attr))
            elif isinstance(func, ast.Attribute) and isinstance(
                    func.value, (ast.Constant, ast.JoinedStr, ast.List, ast.Dict, ast.Tuple)):
                pass  # a method of a literal: ``"{}".format(x)``, ``", ".join(names)``
            elif not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
                other[0] = True
        for child in ast.iter_child_nodes(node):
            visit(child, bound)

    for n in nodes:
        visit(n, frozenset())
    return ArmNames(tuple(assigned), tuple(read), tuple(called), tuple(methods), other[0])


def _escapes(stmts: list[ast.stmt]) -> bool:
    """Whether control leaves the arm other than by falling off its end: ``return``, ``raise``
    or ``assert`` (the program stops there: nothing after the ``if`` may run ahead of it), or
    a ``break``/``continue`` of a loop outside it."""
    def visit(node: ast.AST, in_loop: bool) -> bool:
        if isinstance(node, (ast.Return, ast.Raise, ast.Assert)):
            return True
        if isinstance(node, (ast.Break, ast.Continue)) and not in_loop:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        if isinstance(node, (ast.For, ast.While, ast.AsyncFor)):
            return (any(visit(c, True) for c in node.body)
                    or any(visit(c, in_loop) for c in node.orelse))
        return any(visit(c, in_loop) for c in ast.iter_child_nodes(node))

    return any(visit(s, False) for s in stmts)


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
    if _escapes(stmts):
        return False
    for n in ast.walk(ast.Module(body=stmts, type_ignores=[])):
        if isinstance(n, ast.Name) and n.id in ("super", "__class__"):
            return False
    names = arm_names(list(stmts))
    return analyse(_as_function("arm", copy.deepcopy(stmts), names.params)) is not None


def deferrable(node: ast.If) -> bool:
    """Whether the compiler should prepare ``node`` to run its chosen arm later: its arms make
    calls (a call-free ``if`` is if-converted instead) and may be moved."""
    arms = [node.body, node.orelse]
    makes_calls = any(isinstance(n, ast.Call) for arm in arms for s in arm for n in ast.walk(s))
    return makes_calls and movable_arms(arms)


def deferrable_loop(node: ast.For) -> bool:
    """Whether ``for`` over a value that may be pending could run later as a whole: its body
    makes calls (otherwise there is nothing to overlap) and the loop may be moved."""
    makes_calls = any(isinstance(n, ast.Call) for s in [*node.body, *node.orelse]
                      for n in ast.walk(s))
    loop = copy.deepcopy(node)
    loop.iter = ast.Name("__opp_iterable", ast.Load())
    return makes_calls and movable_arms([[loop]])


def _load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def _store(name: str) -> ast.Name:
    return ast.Name(name, ast.Store())


def _hold(name: str, into: str) -> ast.Try:
    """``into = name``, or the unbound marker if ``name`` has no value."""
    return ast.Try(
        body=[ast.Assign([_store(into)], _load(name))],
        handlers=[ast.ExceptHandler(type=_load("NameError"), name=None,
                                    body=[ast.Assign([_store(into)], _load(UNBOUND))])],
        orelse=[], finalbody=[])


def _arm_function(name: str, body: list[ast.stmt], names: ArmNames) -> ast.FunctionDef:
    """``def name(params): <unbind the unbound>; <arm>; return (assigned...)``.

    A name that had no value when it was captured is unbound again, so that reading it raises
    as it would have; one the arm leaves unassigned is handed back as the marker.
    """
    unbind = [ast.If(ast.Compare(_load(p), [ast.Is()], [_load(UNBOUND)]),
                     [ast.Delete([ast.Name(p, ast.Del())])], [])
              for p in names.params]
    results: list[ast.stmt] = []
    temps = []
    for i, n in enumerate(names.assigned):
        temps.append(f"__opp_out{i}")
        results.append(_hold(n, temps[-1]))
    ret = ast.Return(ast.Tuple([_load(t) for t in temps], ast.Load()))
    return _as_function(name, [*unbind, *copy.deepcopy(body), *results, ret], names.params)


def defer_if(node: ast.If, original: ast.If, counter: Iterator[int],
             in_function: bool) -> list[ast.stmt]:
    """The deferrable form of an (already rewritten) ``if``; ``original`` is its source."""
    k = next(counter)
    names = arm_names([*original.body, *original.orelse])
    cond, result = f"__opp_dc{k}", f"__opp_dr{k}"
    then_fn, else_fn = f"__opp_then_arm{k}", f"__opp_else_arm{k}"
    held = [f"__opp_dh{k}_{i}" for i in range(len(names.params))]
    call = ast.Call(_load(DEFER_IF), [
        _load(cond),
        ast.Tuple([_load(h) for h in held], ast.Load()),
        _load(then_fn), _load(else_fn),
        ast.Constant(names.params), ast.Constant(len(names.assigned)),
        ast.Constant(names.called), ast.Constant(names.methods),
        ast.Constant(names.other_calls), ast.Constant(in_function),
    ], [])
    undecided = [
        *(_hold(n, h) for n, h in zip(names.params, held)),
        _arm_function(then_fn, node.body, names),
        _arm_function(else_fn, node.orelse, names),
        ast.Assign([_store(result)], call),
        ast.Delete([ast.Name(n, ast.Del()) for n in (then_fn, else_fn, *held)]),
    ]
    plain = ast.If(_load(cond), copy.deepcopy(node.body), copy.deepcopy(node.orelse))
    bind: list[ast.stmt] = (
        [ast.Assign([ast.Tuple([_store(n) for n in names.assigned], ast.Store())],
                    _load(result))]
        if names.assigned else [ast.Pass()])
    return [
        ast.Assign([_store(cond)], node.test),
        ast.Assign([_store(result)], ast.Constant(None)),
        ast.If(ast.Call(_load(IF_UNDECIDED), [_load(cond)], []), undecided, []),
        ast.If(ast.Compare(_load(result), [ast.Is()], [ast.Constant(None)]), [plain], bind),
        # a name the taken arm left unbound must not linger in a module's namespace
        ast.Delete([ast.Name(result, ast.Del())]),
    ]


def defer_loop(node: ast.For, original: ast.For, counter: Iterator[int],
               in_function: bool) -> list[ast.stmt]:
    """The deferrable form of an (already rewritten) ``for`` loop; ``original`` is its source.

    The iterable is evaluated where the loop stands; when it is still pending, the loop runs
    later as a whole, once the iterable is known, and the names it assigns (its target
    included) become pending values.
    """
    k = next(counter)
    iterable, result, fn = f"__opp_li{k}", f"__opp_lr{k}", f"__opp_loop_arm{k}"
    source = copy.deepcopy(original)
    source.iter = _load(iterable)
    names = arm_names([source])
    held = [f"__opp_lh{k}_{i}" for i in range(len(names.params))]
    loop = copy.deepcopy(node)
    loop.iter = _load(iterable)
    call = ast.Call(_load(DEFER_LOOP), [
        _load(iterable),
        ast.Tuple([_load(h) for h in held], ast.Load()),
        _load(fn),
        ast.Constant(names.params), ast.Constant(len(names.assigned)),
        ast.Constant(names.called), ast.Constant(names.methods),
        ast.Constant(names.other_calls), ast.Constant(in_function),
    ], [])
    undecided = [
        *(_hold(n, h) for n, h in zip(names.params, held)),
        _arm_function(fn, [loop], names),
        ast.Assign([_store(result)], call),
        ast.Delete([ast.Name(n, ast.Del()) for n in (fn, *held)]),
    ]
    bind: list[ast.stmt] = (
        [ast.Assign([ast.Tuple([_store(n) for n in names.assigned], ast.Store())],
                    _load(result))]
        if names.assigned else [ast.Pass()])
    return [
        ast.Assign([_store(iterable)], node.iter),
        ast.Assign([_store(result)], ast.Constant(None)),
        ast.If(ast.Call(_load(IF_UNDECIDED), [_load(iterable)], []), undecided, []),
        ast.If(ast.Compare(_load(result), [ast.Is()], [ast.Constant(None)]),
               [copy.deepcopy(loop)], bind),
        ast.Delete([ast.Name(result, ast.Del())]),
    ]
