"""In-place changes that no other hook sees: ``x op= v`` on a name, ``del x[k]``, ``del x.a``,
the object a store through a target that is not a plain name changes, a ``global`` rebound.

``lst += more`` changes the list ``lst`` holds, and ``del d[k]`` the dict, without a call or a
store the rest of the compiler rewrites. The runtime must see them for two rules: inside a
``try`` or ``with`` body a change waits for the body's calls (``Runtime.settle_for_effect``),
and a change to an object that code running concurrently still reads waits for that code
(runtime/readers.py). Both matter only while ``__opportune_guarded__`` is set, so the rewrite
costs one test of a builtin otherwise::

    x += v        ->  x += (__opportune_inplace__(v, x) if __opportune_guarded__ else v)
    del a[i], b.c ->  if __opportune_guarded__: __opportune_changing__(a, None)
                      del a[i], b.c

The value is evaluated after ``x`` is read, exactly as Python does; ``x`` is passed only when it
is a plain name (reading it again has no effect).

Only the second rule concerns the rest, which names objects to the readers check:

    a.b[0] = v    ->  (__opportune_owner__(a.b) if __opportune_guarded__ else a.b)[0] = v
    a.b[k] += v   ->  (__opportune_owner__(a.b, k, False) if ... else a.b)[k] += v
    global X; X = v  ->  if __opportune_guarded__: __opportune_changing_globals__(("X",))
                         X = v
    LIMIT = 2        ->  the same, at the top level, when a function of the module loads LIMIT

(see :func:`name_owners`; the store guard of compiler/transform.py names the object itself
when the target is ``name.attr`` or ``name[k]``). Targets that store without an assignment's
value to wrap, those of ``for``, ``with ... as`` and comprehensions, ask both rules at the
store, once per item:

    for a.b[0] in xs:  ->  for (__opportune_target__(a.b) if __opportune_guarded__ else a.b)[0] in xs:
"""

from __future__ import annotations

import ast
from typing import Any

from opportune.compiler import traversal
from opportune.compiler.callsites import GUARDED
from opportune.compiler.traversal import Transformer, copy_tree

INPLACE = "__opportune_inplace__"
CHANGING = "__opportune_changing__"
OWNER = "__opportune_owner__"
GLOBALS = "__opportune_changing_globals__"
CLOSURE = "__opportune_changing_closure__"
TELLING = "__opportune_telling__"
TARGET = "__opportune_target__"
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def _owner_key(target: ast.Attribute | ast.Subscript) -> ast.expr | None:
    """What ``x op= v`` changes inside the object ``target`` stores into, when it can be
    passed without evaluating anything twice: the attribute's name, or a constant or a
    name as the key."""
    if isinstance(target, ast.Attribute):
        return ast.Constant(target.attr)
    if isinstance(target.slice, ast.Constant):
        return ast.Constant(target.slice.value)
    if isinstance(target.slice, ast.Name):
        return ast.Name(target.slice.id, ast.Load())
    return None


def name_owners(target: ast.expr, augmented: bool = False, hook_name: str = OWNER) -> None:
    """Make each store through ``target`` (``a.b[0] = v``, ``f().x, y = ...``) name the object
    it changes to the readers check: the object's expression ``E`` becomes
    ``(__opportune_owner__(E) if __opportune_guarded__ else E)``, evaluated once and where
    Python evaluates it (runtime/hooks.owner, runtime/readers.py). For ``E.a op= v`` and
    ``E[k] op= v`` the hook is also handed what is changed inside ``E`` (``"a"``, ``k``), whose
    old value the operator may change in place. ``hook_name`` :data:`TARGET`: a store with no
    store guard around its value (runtime/hooks.target)."""
    stack = [target]
    while stack:
        t = stack.pop()
        if isinstance(t, (ast.Tuple, ast.List)):
            stack.extend(t.elts)
        elif isinstance(t, ast.Starred):
            stack.append(t.value)
        elif isinstance(t, (ast.Attribute, ast.Subscript)):
            args = [traversal.copy_tree(t.value)]
            if augmented:
                key = _owner_key(t)
                if key is not None:
                    args += [key, ast.Constant(isinstance(t, ast.Attribute))]
            hook = ast.Call(_load(hook_name), args, [])
            t.value = ast.copy_location(
                ast.IfExp(_load(GUARDED), hook, t.value), t.value)


def _stored_names(node: ast.stmt) -> list[str]:
    targets: list[ast.expr] = []
    if isinstance(node, (ast.Assign, ast.Delete)):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For)):
        targets = [node.target]
    elif isinstance(node, ast.With):
        targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            return []  # binds a name, but nothing may stand before it
        return [a.asname or a.name.partition(".")[0] for a in node.names]
    elif isinstance(node, ast.Expr):
        # a deferred module-level statement, which binds its names where it stands
        return list(getattr(node, "_opportune_binds", ()))
    return [n.id for t in targets for n in traversal.nodes(t) if isinstance(n, ast.Name)]


def _telling(names: list[str], stmt: ast.stmt) -> ast.If:
    """``if __opportune_guarded__: __opportune_changing_globals__(names)``, at ``stmt``."""
    call = ast.Call(_load(GLOBALS), [ast.Constant(tuple(dict.fromkeys(names)))], [])
    return ast.copy_location(ast.If(_load(GUARDED), [ast.Expr(call)], []), stmt)


def _settling(stmt: ast.stmt) -> ast.If:
    """``if __opportune_guarded__: __opportune_changing_closure__()``, at ``stmt``."""
    call = ast.Call(_load(CLOSURE), [], [])
    return ast.copy_location(ast.If(_load(GUARDED), [ast.Expr(call)], []), stmt)


def _tell_global_stores(fn: ast.FunctionDef, declared: set[str],
                        closure: frozenset[str] = frozenset()) -> None:
    """Put ``if __opportune_guarded__: __opportune_changing_globals__(names)`` before each
    statement of ``fn``'s own scope that rebinds some of the ``declared`` global names: code
    running concurrently may read them as ``module.NAME`` or through a function of the module
    (runtime/hooks.changing_globals). A statement that rebinds a name of ``closure`` (declared
    ``nonlocal``) gets ``__opportune_changing_closure__()`` instead: an enclosing function's
    variable changes, which inside a ``try`` body must wait for the body's calls
    (runtime/hooks.changing_closure)."""
    stack: list[ast.AST] = [fn]
    while stack:
        node = stack.pop()
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list) or not stmts or not isinstance(stmts[0], ast.stmt):
                continue
            out: list[ast.stmt] = []
            for stmt in stmts:
                stored = _stored_names(stmt)
                told = [n for n in stored if n in declared]
                if told:
                    out.append(_telling(told, stmt))
                elif any(n in closure for n in stored):
                    out.append(_settling(stmt))
                out.append(stmt)
            setattr(node, field, out)
        stack.extend(child for child in traversal.children(node)
                     if not isinstance(child, _SCOPES))


_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")
# statements with statements inside that still belong to the module's top-level code
_COMPOUND = frozenset({ast.If, ast.For, ast.While, ast.Try, ast.TryStar, ast.With, ast.Match})


def _told_value(value: ast.expr, names: list[str]) -> ast.Call:
    """``__opportune_telling__(value, names)``: the names are told once ``value`` has been
    evaluated, just before the store (runtime/hooks.telling)."""
    call = ast.Call(_load(TELLING), [value, ast.Constant(tuple(dict.fromkeys(names)))], [])
    return ast.copy_location(call, value)


def _may_start_readers(value: ast.expr) -> bool:
    """Whether evaluating ``value`` may call code that starts a concurrent reader (any call
    but the in-place hook of :func:`rewrite`): ``LIMIT = count(words)``, where ``count`` reads
    ``LIMIT`` through ``Config.limit()``, must be told after the call, or the reader would
    see its own result."""
    for n in traversal.nodes(value):
        if type(n) is ast.Call and not (type(n.func) is ast.Name and n.func.id == INPLACE):
            return True
    return False


def _captures(case: ast.match_case) -> list[str]:
    """The names a ``case`` pattern binds (``case [x, *rest]``, ``case {"k": v, **more}``)."""
    names: list[str] = []
    for n in traversal.nodes(case.pattern):
        if isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name is not None:
            names.append(n.name)
        elif isinstance(n, ast.MatchMapping) and n.rest is not None:
            names.append(n.rest)
    return names


def _tell_walruses(stmt: ast.stmt, read: set[str]) -> None:
    """``(NAME := v)`` in ``stmt``'s own expressions (a comprehension's too: it binds in the
    module) becomes ``(NAME := __opportune_telling__(v, ("NAME",)))`` for a name in ``read``;
    ``exec(code)`` and ``eval(code)`` tell every name in ``read``.
    The statements inside a compound statement are left to the caller."""
    stack: list[ast.AST] = [c for c in traversal.children(stmt) if not isinstance(c, ast.stmt)]
    while stack:
        node = stack.pop()
        if isinstance(node, (*_SCOPES, ast.stmt)):
            continue
        if type(node) is ast.NamedExpr and node.target.id in read:
            node.value = _told_value(node.value, [node.target.id])
        elif type(node) is ast.Call and type(node.func) is ast.Name \
                and node.func.id in ("exec", "eval") and node.args \
                and not getattr(node, "_opportune_told", False):
            # ``exec("LIMIT = 5")`` may rebind any name of the module: told once the code
            # to run is evaluated (p605)
            node._opportune_told = True  # type: ignore[attr-defined]
            node.args[0] = _told_value(node.args[0], sorted(read))
        stack.extend(traversal.children(node))


def _tell_binding_parts(node: ast.AST, read: set[str]) -> None:
    """The stores a compound statement makes outside its statements: ``except E as NAME``
    binds ``NAME`` when ``E`` matches, and deletes it when the handler ends; a ``case``
    pattern binds its captures while it is matched against the subject."""
    if isinstance(node, ast.ExceptHandler):
        if node.name is not None and node.name in read and node.type is not None:
            node.type = _told_value(node.type, [node.name])
            if any(_may_start_readers(n) for n in traversal.nodes(node)
                   if isinstance(n, ast.expr) and n is not node.type):
                # the body may start a reader of the exception the name holds until it ends
                end = ast.Try(node.body, [], [], [_telling([node.name], node.body[-1])])
                node.body = [ast.copy_location(end, node.body[0])]
    elif isinstance(node, ast.Match):
        names = [n for case in node.cases for n in _captures(case) if n in read]
        if names:  # told once the subject has been evaluated, before any pattern binds
            node.subject = _told_value(node.subject, names)


def tell_module_stores(tree: ast.Module, read: set[str], walrus: bool = True) -> None:
    """Tell each rebinding, in the module's top-level code (not in its functions or classes),
    of a name one of its functions or lambdas loads (``read``): such a function reached
    through an attribute (``Config.limit()``, a method, a class's ``__init__``) while it runs
    concurrently reads the module's namespace as it is then, not pinned at the call
    (runtime/readers.py). A statement whose value may start such a function is told once its
    value is evaluated (``LIMIT = __opportune_telling__(count(w), ("LIMIT",))``); other
    statements get ``if __opportune_guarded__: __opportune_changing_globals__(names)`` before
    them. ``except ... as NAME``, ``case`` captures and ``:=`` (when ``walrus``: the module
    has one) are told where they bind. Other top-level stores are not told: a test per store
    of every name would cost the program's own loops."""
    if not read:
        return
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        _tell_binding_parts(node, read)
        for field in _BODIES:
            stmts = getattr(node, field, None)
            if not stmts:
                continue
            if field in ("handlers", "cases"):
                stack.extend(stmts)
                continue
            out: list[ast.stmt] | None = None
            for i, stmt in enumerate(stmts):
                kind = type(stmt)
                told: list[str] = []
                if kind is ast.Assign and len(stmt.targets) == 1 \
                        and type(stmt.targets[0]) is ast.Name:
                    if stmt.targets[0].id in read:  # the commonest statement, at once
                        told = [stmt.targets[0].id]
                elif kind is not ast.Expr or hasattr(stmt, "_opportune_binds"):
                    told = [n for n in _stored_names(stmt) if n in read]
                    if kind in _COMPOUND:
                        stack.append(stmt)
                if walrus:
                    _tell_walruses(stmt, read)
                if told and kind in _VALUED and stmt.value is not None \
                        and _may_start_readers(stmt.value):
                    stmt.value = _told_value(stmt.value, told)
                    told = []
                if told:
                    if out is None:
                        out = stmts[:i]
                    out.append(_telling(told, stmt))
                if out is not None:
                    out.append(stmt)
            if out is not None:
                setattr(node, field, out)


_VALUED = frozenset({ast.Assign, ast.AugAssign, ast.AnnAssign})


def _declared_globals(fn: ast.FunctionDef, kind: type = ast.Global) -> set[str]:
    """The names ``fn``'s own scope declares ``global``. The ``global`` line of a deferred
    module-level statement's arm (compiler/deferral.py) is left out: that arm runs with the
    names it captured as its globals, not the module's."""
    declared: set[str] = set()
    stack: list[ast.AST] = list(fn.body)
    while stack:
        node = stack.pop()
        if isinstance(node, kind):
            if not getattr(node, "_opportune_captured", False):
                declared.update(node.names)
        elif isinstance(node, ast.stmt):
            # a ``global`` is a statement: only the statement lists below are walked, not
            # the expressions (the children() of a statement that are neither statements,
            # handlers nor cases would be passed over anyway)
            for field in _STATEMENT_LISTS:
                for child in getattr(node, field, ()):
                    if not isinstance(child, _SCOPES):
                        stack.append(child)
        elif isinstance(node, ast.excepthandler | ast.match_case):
            stack.extend(node.body)
    return declared


_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")


class _Changes(Transformer):
    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return node  # async bodies run as written (compiler/transform.py)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        self.generic_visit(node)
        declared = _declared_globals(node)
        closure = frozenset(_declared_globals(node, ast.Nonlocal))
        if declared or closure:
            _tell_global_stores(node, declared, closure)
        return node

    def visit_For(self, node: ast.For) -> Any:
        self.generic_visit(node)
        if not isinstance(node.target, ast.Name):
            name_owners(node.target, hook_name=TARGET)
        return node

    def visit_With(self, node: ast.With) -> Any:
        self.generic_visit(node)
        for item in node.items:
            if item.optional_vars is not None and not isinstance(item.optional_vars, ast.Name):
                name_owners(item.optional_vars, hook_name=TARGET)
        return node

    def visit_comprehension(self, node: ast.comprehension) -> Any:
        self.generic_visit(node)
        if not isinstance(node.target, ast.Name):
            name_owners(node.target, hook_name=TARGET)
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> Any:
        self.generic_visit(node)
        if isinstance(node.target, ast.Name):
            hook = ast.Call(_load(INPLACE), [copy_tree(node.value),
                                             _load(node.target.id)], [])
            node.value = ast.IfExp(_load(GUARDED), hook, node.value)
            ast.copy_location(node.value, node)
        return node

    def visit_Delete(self, node: ast.Delete) -> Any:
        self.generic_visit(node)
        owners: list[ast.expr] = []
        for target in node.targets:
            if isinstance(target, (ast.Subscript, ast.Attribute)):
                owner = target.value
                if isinstance(owner, ast.Name):
                    owners.append(_load(owner.id))
                    continue  # named to __opportune_changing__ below
                owners.append(ast.Constant(None))
            if not isinstance(target, ast.Name):
                name_owners(target)
        if not owners:
            return node
        check = ast.If(_load(GUARDED), [ast.Expr(ast.Call(_load(CHANGING), owners, []))], [])
        ast.copy_location(check, node)
        return [check, node]


def rewrite(tree: ast.Module) -> None:
    """Rewrite ``tree`` in place (see the module docstring). ``tree`` carries the names its
    functions load when compiler/transform.py rewrote it (``_opportune_function_reads``)."""
    _Changes().visit(tree)
    tell_module_stores(tree, getattr(tree, "_opportune_function_reads", set()),
                       getattr(tree, "_opportune_module_walrus", True))
