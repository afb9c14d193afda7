"""Lists, dicts and sets of a function that a deferred ``if`` arm may change in place.

``hits = []`` then, in a loop, ``a = llm(q)`` and ``if a == "yes": hits.append(q)``: the arm
changes an object of the program, so it could not run later (its copy would be changed, not
the program's list), and every iteration waited for its answer. Such an arm can run later on
the real object when the program cannot look at that object without being seen: the name is a
local of the function bound only to containers it builds there (``[]``, ``{}``, ``set()``),
no nested scope uses it, and every place the function reads the name goes through
``__opportune_arm_object__`` (runtime/arm_objects.py), which waits for the arms that may
still change the object before the program touches it. A read that may keep the object
somewhere else (``alias = hits``, ``keep(hits)``, ``return hits``) is marked as one: the object
is then *handed on*, and no later arm is deferred on it.

The program's own module is treated the same way at its top level (:func:`module_tracked_names`),
for names no other code of it can read; and a tracked dict may hold groups its arms fill with
``d.setdefault(k, []).append(v)`` (:func:`nested_names`).

The marks are put on the ``Name`` nodes (:data:`MARK`) before the other passes rewrite the
function, so that the deferral pass judges the source as written; :func:`wrap`, the last
pass, turns each marked read into the hook's call.
"""

from __future__ import annotations

import ast
from typing import Any

from opportune.compiler import traversal
from opportune.compiler.purity import _MUTATORS

USE = "__opportune_arm_object__"
TRACKED = "_opportune_tracked"  # on a FunctionDef: its tracked names
NESTED = "_opportune_nested"  # on a FunctionDef: its tracked dicts arms may hold lists in
PLAIN = "_opportune_plain_names"  # on a FunctionDef: its names that are never pending
LIVE = "__opportune_shared_arms__"  # runtime/context.SHARED_ARMS: true while arms may run
MARK = "_opportune_arm_object"  # on a Name read: None (only looks), True (handed on), a callee
# Builtins that only look at what they are given (none keeps it): ``len(hits)``, ``print(hits)``.
# Checked at run time to be the builtins (runtime/arm_objects.py, runtime/deferral.py).
LOOKERS = frozenset({
    "len", "print", "str", "repr", "sorted", "list", "tuple", "set", "frozenset", "dict",
    "sum", "min", "max", "any", "all", "bool", "format",
})
_EMPTY_CALLS = frozenset({"list", "dict", "set"})
# Ways to read a function's locals other than by name: the object would be reached unseen.
_FRAME_VIEWS = frozenset({"locals", "vars", "eval", "exec", "f_locals", "_getframe",
                          "currentframe"})
# Ways to reach a module's namespace other than by name from its own code: ``globals()``, the
# module object (``sys.modules``, ``import __main__``), a frame's globals, star imports.
_MODULE_VIEWS = _FRAME_VIEWS | {"globals", "f_globals", "modules", "__main__", "__import__",
                                "import_module", "__dict__"}
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _fresh(value: ast.expr) -> bool:
    """A container the function builds here, held by nothing else yet."""
    if isinstance(value, (ast.List, ast.Dict, ast.Set)):
        return True
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id in _EMPTY_CALLS and not value.args and not value.keywords)


def _own_nodes(fn: ast.FunctionDef) -> tuple[list[ast.AST], set[str], bool]:
    """The nodes of ``fn``'s own scope (not those inside nested functions, lambdas, classes or
    comprehensions, except a comprehension's first iterable), the names used in nested scopes,
    and whether the function yields."""
    own: list[ast.AST] = []
    nested: set[str] = set()
    yields = False
    stack: list[ast.AST] = list(reversed(fn.body))
    while stack:
        node = stack.pop()
        if isinstance(node, (*_SCOPES, *_COMPREHENSIONS)):
            inner: list[ast.AST] = [node]
            if isinstance(node, _COMPREHENSIONS):
                stack.append(node.generators[0].iter)
                inner = [*node.generators[1:], node.generators[0].target,
                         *node.generators[0].ifs,
                         *([node.key, node.value] if isinstance(node, ast.DictComp)
                           else [node.elt])]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stack.extend(node.decorator_list)
                own.append(node)  # binds its name here
            for part in inner:
                nested.update(n.id for n in traversal.nodes(part) if isinstance(n, ast.Name))
            continue
        if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await)):
            yields = True
        own.append(node)
        lazy: list[ast.expr] = []
        if isinstance(node, ast.IfExp):
            # the arms and the later operands of and/or may become functions run later
            # (compiler/branches.py): they would read the name through a closure
            lazy, rest = [node.body, node.orelse], [node.test]
        elif isinstance(node, ast.BoolOp):
            lazy, rest = node.values[1:], node.values[:1]
        else:
            rest = traversal.children(node)
        for part in lazy:
            nested.update(n.id for n in traversal.nodes(part) if isinstance(n, ast.Name))
        stack.extend(reversed(rest))
    return own, nested, yields


def module_tracked_names(tree: ast.Module) -> frozenset[str]:
    """The module-level names of the program's own module ``tree`` (the script ``opportune run``
    runs, or ``run_source``'s code) whose objects deferred arms may change, as
    :func:`tracked_names` for a function, and marks their reads (:func:`mark_reads`).

    A module's names live in a dict other code can read: its functions (a name any nested
    scope mentions is left out, so they never read a tracked one), ``globals()``, ``exec``,
    the module object (``sys.modules``, ``import __main__``). Where the module's code shows any
    of these, or a star import may rebind a name unseen, no name is tracked. Never for an
    imported module: other modules read its names once its code has run."""
    for n in traversal.nodes(tree):
        if isinstance(n, ast.Name) and n.id in _MODULE_VIEWS \
                or isinstance(n, ast.Attribute) and n.attr in _MODULE_VIEWS:
            return frozenset()
        if isinstance(n, (ast.Import, ast.ImportFrom)) \
                and any(a.name == "*" or a.name.split(".")[0] in _MODULE_VIEWS for a in n.names):
            return frozenset()
    names = _tracked(tree, set())
    mark_reads(tree, names)
    return names


def module_objects(tree: ast.Module
                   ) -> tuple[frozenset[str], frozenset[str], frozenset[str]] | None:
    """:func:`module_tracked_names` of ``tree``, its names that are never pending and its
    :func:`nested_names`, for the compiler's passes (None: none tracked)."""
    names = module_tracked_names(tree)
    return (names, getattr(tree, PLAIN, frozenset()), getattr(tree, NESTED, frozenset())) \
        if names else None


def _pairs(target: ast.expr, value: ast.expr) -> list[tuple[ast.Name, ast.expr]]:
    """Each name of ``target`` with the part of ``value`` it is bound to: ``x = v``, and
    ``a, b = [], {}`` (no starred item)."""
    if isinstance(target, ast.Name):
        return [(target, value)]
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
            and len(target.elts) == len(value.elts) \
            and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts)):
        return [(t, v) for t, v in zip(target.elts, value.elts) if isinstance(t, ast.Name)]
    return []


def tracked_names(fn: ast.FunctionDef) -> frozenset[str]:
    """The names of ``fn`` whose objects deferred arms may change (see the module docstring):
    bound only as ``name = <fresh container>``, not a parameter, not ``global``/``nonlocal``,
    unused by nested scopes, and changed in place inside some ``if``. Empty for a generator."""
    a = fn.args
    params = {x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg)
              if x is not None}
    return _tracked(fn, params)


def _tracked(fn: ast.FunctionDef | ast.Module, params: set[str]) -> frozenset[str]:
    own, nested, yields = _own_nodes(fn)  # type: ignore[arg-type]
    if yields or any(isinstance(n, ast.Name) and n.id in _FRAME_VIEWS
                     or isinstance(n, ast.Attribute) and n.attr in _FRAME_VIEWS for n in own):
        return frozenset()
    fresh: dict[str, bool] = {}
    changed_in_if: set[str] = set()
    plain = plain_names(own, params)
    setattr(fn, PLAIN, plain)
    for node in own:
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            for n in node.names:
                fresh[n] = False
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            fresh[node.id] = fresh.get(node.id, True) and getattr(node, "_opp_fresh", False)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            for target, value in _pairs(node.targets[0], node.value):
                if _fresh(value):
                    target._opp_fresh = True  # type: ignore[attr-defined]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            fresh[node.name] = False
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                fresh[(alias.asname or alias.name).split(".")[0]] = False
        elif isinstance(node, ast.If) and may_be_pending(node.test, plain):
            changed_in_if |= changed([*node.body, *node.orelse])
    # the ``Assign`` comes before its target's ``Name`` in ``own`` (a walk from the top), so
    # the mark is there when the target is met
    names = {n for n, ok in fresh.items() if ok} - params - nested
    return frozenset(names & changed_in_if)


_OPERATORS = (ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.IfExp, ast.Constant,
              ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.expr_context)


def _plain_expr(node: ast.expr, plain: set[str]) -> bool:
    """Built only from constants and ``plain`` names by operators: never a pending value."""
    for n in traversal.nodes(node):
        if isinstance(n, ast.Name):
            if n.id not in plain:
                return False
        elif not isinstance(n, _OPERATORS):
            return False
    return True


def plain_names(own: list[ast.AST], params: set[str]) -> frozenset[str]:
    """The function's locals bound only by plain assignments of values :func:`_plain_expr`
    accepts (``is_prime = False``, ``n = n + 1``): an ``if`` on them is decided when reached,
    so it needs neither a deferred arm nor the hooks that order one."""
    values: dict[str, list[ast.expr] | None] = {}
    for node in own:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            got = values.setdefault(node.targets[0].id, [])
            if got is not None:
                got.append(node.value)
            node.targets[0]._opp_plain_target = True  # type: ignore[attr-defined]
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            got = values.setdefault(node.target.id, [])
            if got is not None:
                got.append(ast.BinOp(ast.Name(node.target.id, ast.Load()), node.op, node.value))
            node.target._opp_plain_target = True  # type: ignore[attr-defined]
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) \
                and not getattr(node, "_opp_plain_target", False):
            values[node.id] = None
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for n in node.names:
                values[n] = None
    plain = {n for n, v in values.items() if v is not None and n not in params}
    while True:
        keep = {n for n in plain if all(_plain_expr(v, plain) for v in values[n] or ())}
        if keep == plain:
            return frozenset(plain)
        plain = keep


def may_be_pending(test: ast.expr, plain: frozenset[str]) -> bool:
    """Whether an ``if`` on ``test`` may find it still pending (see :func:`plain_names`)."""
    return not _plain_expr(test, set(plain))


def changed(stmts: list[ast.stmt]) -> set[str]:
    """Names whose object these statements change in place: ``x.append(v)``, ``x[k] = v``,
    ``x[k] += v``, ``del x[k]``."""
    found: set[str] = set()
    for s in stmts:
        for n in traversal.nodes(s):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) \
                    and n.func.attr in _MUTATORS and isinstance(n.func.value, ast.Name):
                found.add(n.func.value.id)
            elif isinstance(n, ast.Call) and setdefault_chain(n) is not None:
                found.add(setdefault_chain(n))  # type: ignore[arg-type]
            elif isinstance(n, ast.Subscript) and not isinstance(n.ctx, ast.Load) \
                    and isinstance(n.value, ast.Name):
                found.add(n.value.id)
    return found


def setdefault_chain(call: ast.Call) -> str | None:
    """``d`` of ``d.setdefault(k, [])`` + ``.append(v)`` (any in-place method of the new
    container, a fresh ``[]``, ``{}`` or ``set()``): the grouping idiom changes the dict's
    container for ``k``, which only the dict holds (see :func:`nested_names`)."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in _MUTATORS
            and isinstance(func.value, ast.Call)):
        return None
    inner = func.value
    if isinstance(inner.func, ast.Attribute) and inner.func.attr == "setdefault" \
            and isinstance(inner.func.value, ast.Name) and len(inner.args) == 2 \
            and not inner.keywords and _fresh(inner.args[1]):
        return inner.func.value.id
    return None


# compound statements whose bodies may become a deferred arm or loop (the test or iterable
# itself is evaluated where the statement stands)
_BODIES = ("body", "orelse", "handlers", "finalbody", "cases")


def nested_names(fn: ast.AST, names: frozenset[str]) -> frozenset[str]:
    """The tracked names whose dicts deferred arms may fill with containers of their own
    (``groups.setdefault(k, []).append(v)``), and so whose items need not be atoms: every read
    of the name either is such a chain, or looks at the dict as a whole (a comparison, a test,
    formatting, iterating its keys, a builtin that only looks), or stands outside every
    compound statement's body (it hands the dict on, :func:`mark_reads`). A read that could
    give a deferred arm one of the dict's containers (``d[k]``, ``d.get(k)``) would let it keep
    that container where the program reads it without the hook."""
    found = {n for n in names for node in traversal.nodes(fn)
             if isinstance(node, ast.Call) and setdefault_chain(node) == n}
    if not found:
        return frozenset()
    parents: dict[int, ast.AST] = {}
    inside: set[int] = set()
    for node in traversal.nodes(fn):
        for child in traversal.children(node):
            parents[id(child)] = node
        if isinstance(node, ast.stmt) and node is not fn:
            for field in _BODIES:
                for part in getattr(node, field, None) or ():
                    inside.update(id(n) for n in traversal.nodes(part))
    for node in traversal.nodes(fn):
        if isinstance(node, ast.Name) and node.id in found and isinstance(node.ctx, ast.Load) \
                and not _looks_at_whole(node, parents) and id(node) in inside:
            found.discard(node.id)
    return frozenset(found)


def _looks_at_whole(node: ast.Name, parents: dict[int, ast.AST]) -> bool:
    """A read of a dict that yields none of its values: a setdefault chain, a comparison, a
    test, formatting, iterating its keys, or a builtin that only looks (not ``dict``, a copy
    holding the same containers)."""
    parent = parents.get(id(node))
    if isinstance(parent, ast.Attribute) and parent.attr == "setdefault":
        grand = parents.get(id(parent))
        above = parents.get(id(grand)) if grand is not None else None
        call = parents.get(id(above)) if above is not None else None
        return isinstance(call, ast.Call) and setdefault_chain(call) == node.id
    how = _how(node, parents)
    if isinstance(how, str):
        return how in LOOKERS and how != "dict"
    return how is None and not isinstance(parent, (ast.Attribute, ast.Subscript))


def mark_reads(fn: ast.FunctionDef, names: frozenset[str]) -> bool:
    """Mark each read of ``names`` in ``fn`` with how it uses the object (:data:`MARK`); whether
    any was marked."""
    if not names:
        return False
    setattr(fn, TRACKED, names)
    parents: dict[int, ast.AST] = {}
    for node in traversal.nodes(fn):
        for child in traversal.children(node):
            parents[id(child)] = node
    nested = nested_names(fn, names)
    setattr(fn, NESTED, nested)
    marked = False
    for node in traversal.nodes(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in names:
            how = _how(node, parents)
            if node.id in nested and not _looks_at_whole(node, parents):
                how = True  # may give the program one of the dict's containers
            setattr(node, MARK, how)
            marked = True
    return marked


def _how(node: ast.Name, parents: dict[int, ast.AST]) -> Any:
    """None when the read only looks at the object (a method call on it, an item, a truth
    test, a comparison, formatting, iterating it in a comprehension or in a loop whose body
    does not use the name), the name of the callee when it is handed to a call by name (decided
    at run time: a builtin that only looks, or an external, which gets a copy), else True."""
    parent = parents.get(id(node))
    if isinstance(parent, ast.Attribute) and parent.value is node:
        grand = parents.get(id(parent))
        if isinstance(grand, ast.Call) and grand.func is parent and parent.attr in _METHODS:
            return None
        return True
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return None
    if isinstance(parent, (ast.Compare, ast.FormattedValue)):
        return None
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return None
    if isinstance(parent, (ast.If, ast.While, ast.IfExp)) and parent.test is node:
        return None
    if isinstance(parent, ast.comprehension) and parent.iter is node:
        comp = parents.get(id(parent))
        if not isinstance(comp, ast.GeneratorExp):
            return None  # iterated to the end at once
        # a generator iterates later, when it is consumed: only where it is consumed at once
        taker = parents.get(id(comp))
        if isinstance(taker, ast.Call) and taker.args == [comp] and not taker.keywords \
                and isinstance(taker.func, ast.Name) and taker.func.id in LOOKERS:
            return taker.func.id
        return True
    if isinstance(parent, ast.For) and parent.iter is node:
        uses = any(isinstance(n, ast.Name) and n.id == node.id
                   for s in [*parent.body, *parent.orelse] for n in traversal.nodes(s))
        return True if uses else None
    if isinstance(parent, ast.Call) and node in parent.args and isinstance(parent.func, ast.Name):
        return parent.func.id
    return True


# (the views of a dict read it later, wherever they go)
_METHODS = frozenset(m for t in (list, dict, set) for m in dir(t)
                     if not m.startswith("__")) - {"keys", "values", "items"}


def arm_reads_only_look(stmts: list[ast.stmt], names: frozenset[str]) -> bool:
    """Whether every read of ``names`` in these arm statements only looks at the object or
    hands it to one of :data:`LOOKERS`: an arm running concurrently must not hand it on."""
    for s in stmts:
        for n in traversal.nodes(s):
            if isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Load):
                how = getattr(n, MARK, True)
                if how is not None and how not in LOOKERS:
                    return False
    return True


class _Wrap(ast.NodeTransformer):
    """Wraps every read of a tracked name inside its function: the marked ones as marked,
    the others (the other passes' own reads: a builtin's inline path, a type test, the store
    guard's owner) as reads that only look."""

    def __init__(self, module: frozenset[str] = frozenset()) -> None:
        self._names: list[frozenset[str]] = [module]

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        own = getattr(node, TRACKED, None)
        self._names.append(self._names[-1] | own if own else self._names[-1])
        try:
            return self.generic_visit(node)
        finally:
            self._names.pop()

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id not in self._names[-1] or not isinstance(node.ctx, ast.Load) \
                or getattr(node, "_opportune_captured", False):
            return node  # a deferred statement's capture: the arm is ordered itself
        how = getattr(node, MARK, None)
        if hasattr(node, MARK):
            delattr(node, MARK)
        args: list[ast.expr] = [node]
        if how is True:
            args.append(ast.Constant(True))
        elif isinstance(how, str):
            args.append(ast.Name(how, ast.Load()))
        call = ast.copy_location(ast.Call(ast.Name(USE, ast.Load()), args, []), node)
        if how is not None:
            return call  # noted even with no arm running: no later arm may share it
        # a read that only looks costs a name lookup while no arm on shared objects runs
        plain = ast.copy_location(ast.Name(node.id, ast.Load()), node)
        return ast.copy_location(ast.IfExp(ast.Name(LIVE, ast.Load()), call, plain), node)


def wrap(tree: ast.Module) -> ast.Module:
    """Turn each marked read into ``__opportune_arm_object__(name[, how])``: the last pass, so
    that the others judged the source as written."""
    if getattr(tree, "_opportune_arm_objects", False):
        _Wrap(getattr(tree, "_opportune_module_objects", frozenset())).visit(tree)
    return tree
