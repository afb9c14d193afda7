
"""Which of the program's functions may run concurrently with the code after their call.

A call ``score(c)`` whose body waits on its own LLM answer (``for line in answer.splitlines()``)
would make a loop over candidates wait at every iteration. If the function can neither see nor
change anything the rest of the program can, running it on its own thread gives exactly the
result plain Python would give, and its calls overlap with everything else.

This module decides the static half of that question from the function's syntax: no ``global``
or ``nonlocal``, no ``yield``/``await``/``with``/``import``/``del``, no ``print`` or other
built-in with an outside effect, no look at its thread or frames (``sys._getframe``,
``logging.info``: on a thread of its own it would report that thread), and it changes only
containers it created itself. The run-time
half (every global and closure name it reads holds something immutable, its arguments can be
copied) is checked at each call by :mod:`opportune.runtime.spawn`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from opportune.compiler import traversal

_FORBIDDEN_NODES = (
    ast.Global, ast.Nonlocal, ast.Yield, ast.YieldFrom, ast.Await, ast.With, ast.AsyncWith,
    ast.Import, ast.ImportFrom, ast.Delete, ast.ClassDef, ast.AsyncFunctionDef, ast.AsyncFor,
    ast.Try, ast.TryStar,
)
_EFFECT_BUILTINS = frozenset({
    "print", "input", "open", "exec", "eval", "compile", "setattr", "delattr", "globals",
    "locals", "vars", "breakpoint", "__import__", "exit", "quit", "help", "super", "id",
})
_MUTATORS = frozenset({
    "append", "insert", "extend", "pop", "remove", "clear", "reverse", "sort", "update",
    "setdefault", "popitem", "add", "discard", "intersection_update", "difference_update",
    "symmetric_difference_update", "write", "send", "close",
})
# Attributes that look at the running thread or its frames: a function running on a thread of
# its own would see that thread (its caller frames, its name), not the program's.
_THREAD_VIEWS = frozenset({
    "_getframe", "currentframe", "stack", "trace", "getouterframes", "getinnerframes", "f_back",
    "current_thread", "get_ident", "get_native_id", "main_thread",
})
# Modules whose functions report where and on which thread they were called, and the
# methods of a logger (``log.info(...)``): a record names its thread, function and line.
_REPORTING_MODULES = frozenset({"logging", "warnings", "traceback"})
# Modules that keep hidden state their functions change (``random.random()`` advances the
# generator): calls made out of program order would draw different numbers.
_STATEFUL_MODULES = frozenset({"random", "secrets"})
# ``var.set(...)`` changes the context the caller sees afterwards (a ContextVar).
_CONTEXT_CHANGES = frozenset({"debug", "info", "warning", "warn", "error", "exception",
                              "critical", "fatal", "log", "set", "reset"})
_FRESH_CALLS = frozenset({"list", "dict", "set", "sorted", "reversed"})
LEAF_BUILTINS = frozenset({
    "range", "len", "int", "float", "str", "bool", "abs", "min", "max", "sum", "sorted", "list",
    "tuple", "dict", "set", "frozenset", "enumerate", "zip", "reversed", "round", "divmod",
    "pow", "chr", "ord", "hex", "bin", "oct", "isinstance", "any", "all",
})


@dataclass(frozen=True)
class Purity:
    """What the run-time check needs about one function that passed the static check."""

    global_names: tuple[str, ...]
    worth_spawning: bool
    # Only builtin operations: every name it reads from outside is one of LEAF_BUILTINS or, in
    # ``callees``, only ever called, and every call is to one of those or a method, without
    # keywords. Called with atoms (those builtins not shadowed, the callees such functions
    # too), it cannot run any other code of the program, so it cannot make an external call:
    # running it on a thread of its own would only cost time (runtime/spawn.py).
    leaf: bool = False
    callees: tuple[str, ...] = ()


def _is_fresh_value(node: ast.expr) -> bool:
    if isinstance(node, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp,
                         ast.Tuple, ast.Constant)):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FRESH_CALLS
    )


def _bound_names(fn: ast.FunctionDef, every: list[ast.AST] | None = None) -> set[str]:
    a = fn.args
    names = {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs}
    if a.vararg:
        names.add(a.vararg.arg)
    if a.kwarg:
        names.add(a.kwarg.arg)
    for node in every if every is not None else traversal.nodes(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.Lambda)) and node is not fn:
            if isinstance(node, ast.FunctionDef):
                names.add(node.name)
    return names


def analyse(fn: ast.FunctionDef, every: list[ast.AST] | None = None) -> Purity | None:
    """The function's purity facts, or None when it may have an effect or change shared state.
    ``every``: ``traversal.nodes(fn)``, when the caller has it already."""
    if every is None:
        every = traversal.nodes(fn)  # one walk; each question below scans this list
    if not reads_only(fn, every):
        return None
    return _facts(fn, every)


def reads_only(fn: ast.FunctionDef, every: list[ast.AST], owned: frozenset[str] = frozenset(),
               prints: bool = False, nested: frozenset[str] = frozenset(),
               method: bool = False) -> bool:
    """Whether :func:`analyse` finds facts for ``fn`` (it has no effect and changes no shared
    state), without working them out: deciding whether a statement may be deferred needs only
    this, for every statement nested in another. ``every``: ``traversal.nodes(fn)``.

    A deferred arm may also change the objects of the names in ``owned`` (the runtime orders
    it against every other use of them: compiler/arm_objects.py) and, with ``prints``, call
    ``print`` without ``file=`` (its output is queued at its place in program order), and change
    the containers the dicts of ``nested`` (among ``owned``) hold for a key through
    ``d.setdefault(k, []).append(v)`` (``arm_objects.setdefault_chain``). ``method``: a
    function of a class body, judged by :func:`method_facts` (its decorators and ``super()``
    calls are its caller's concern)."""
    if fn.decorator_list and not method:
        return False
    for node in every:
        if isinstance(node, _FORBIDDEN_NODES):
            return False
        if isinstance(node, ast.FunctionDef) and node is not fn:
            return False
        if isinstance(node, ast.Attribute) and (
                node.attr in _THREAD_VIEWS
                or node.attr == "random"
                or isinstance(node.value, ast.Name)
                and node.value.id in _REPORTING_MODULES | _STATEFUL_MODULES):
            return False
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in _CONTEXT_CHANGES:
            return False
        if isinstance(node, ast.Name) and node.id in _STATEFUL_MODULES:
            return False  # the module, or ``from random import random``
    params = {x.arg for x in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
    # Names that only ever hold containers this function built itself.
    fresh: dict[str, bool] = {}
    for node in every:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    ok = _is_fresh_value(node.value)
                    fresh[target.id] = fresh.get(target.id, True) and ok
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
            value = node.value
            ok = value is not None and _is_fresh_value(value)
            fresh[node.target.id] = fresh.get(node.target.id, True) and ok
        elif isinstance(node, (ast.For, ast.comprehension)):
            for t in traversal.nodes(node.target):
                if isinstance(t, ast.Name):
                    fresh[t.id] = False
        elif isinstance(node, ast.NamedExpr):
            fresh[node.target.id] = False
    for p in params:
        fresh[p] = False
    for name in owned:
        fresh[name] = True
    owned_names = owned

    def owned(base: ast.expr) -> bool:
        return isinstance(base, ast.Name) and fresh.get(base.id, False)

    for node in every:
        # a store through any target (an assignment's, ``for``'s, a comprehension's)
        if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, ast.Store):
            if not owned(node.value):
                return False
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in _EFFECT_BUILTINS and not (
                    method and func.id == "super" and not node.args) and not (
                    prints and func.id == "print"
                    and all(k.arg is not None and (k.arg != "file" or _std_stream(k.value))
                            for k in node.keywords)):
                return False
            if isinstance(func, ast.Attribute) and func.attr in _MUTATORS and not owned(func.value):
                if not nested:
                    return False
                from opportune.compiler.arm_objects import setdefault_chain

                if setdefault_chain(node) not in nested & owned_names:
                    return False
    return True


# decorators of a class body's function that only say how it is bound
_BINDINGS = frozenset({"staticmethod", "classmethod", "property"})


def method_facts(fn: ast.FunctionDef, every: list[ast.AST]) -> Purity | None:
    """Facts of a function of a class body that changes nothing but the instance it is called
    on (``self.n = n`` in ``__init__``, a property), prints at most to the standard streams
    (queued in program order), and has no effect otherwise: a class whose functions are all
    such (or pure) may be called from code running concurrently (a deferred arm making a
    record, ``Item.parse(text)``) without changing what the program reads meanwhile
    (``spawn._safe``). A ``classmethod`` or ``staticmethod`` owns nothing: ``cls.count += 1``
    changes the class, which the program reads. None otherwise."""
    names = []
    for d in fn.decorator_list:
        if isinstance(d, ast.Attribute) and d.attr in ("setter", "deleter"):
            names.append("property")
        elif isinstance(d, ast.Name) and d.id in _BINDINGS:
            names.append(d.id)
        else:
            return None
    params = fn.args.posonlyargs + fn.args.args
    owned = frozenset({params[0].arg}) if params and not {"staticmethod", "classmethod"} \
        & set(names) else frozenset()
    if not reads_only(fn, every, owned, prints=True, method=True):
        return None
    return _facts(fn, every)


def _std_stream(node: ast.expr) -> bool:
    """``sys.stdout`` or ``sys.stderr``: output queued in program order like ``print``'s."""
    return isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr") \
        and isinstance(node.value, ast.Name) and node.value.id == "sys"


def _facts(fn: ast.FunctionDef, every: list[ast.AST]) -> Purity:
    bound = _bound_names(fn, every)
    globals_read = sorted(
        {n.id for n in every
         if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in bound}
    )
    decides = any(
        isinstance(n, (ast.If, ast.While, ast.For, ast.IfExp, ast.BoolOp, ast.comprehension,
                       ast.Assert))
        for n in every
    )
    calls = [n for n in every if isinstance(n, ast.Call)]
    callees = {n.func.id for n in calls if isinstance(n.func, ast.Name)} - LEAF_BUILTINS - bound
    called = sum(1 for n in calls if isinstance(n.func, ast.Name) and n.func.id in callees)
    loads = sum(1 for n in every
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in callees)
    leaf = set(globals_read) <= LEAF_BUILTINS | callees and called == loads and all(
        not n.keywords and (isinstance(n.func, ast.Attribute)
                            or isinstance(n.func, ast.Name) and n.func.id not in bound)
        for n in calls
    )
    return Purity(tuple(globals_read), decides, leaf, tuple(sorted(callees)))
