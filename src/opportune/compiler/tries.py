"""``try`` statements whose body is one call: the handler becomes a branch on its outcome.

The commonest error handling in agent code asks once per item and falls back on failure::

    for q in questions:
        try:
            out.append(ask(q))
        except ValueError:
            out.append(None)

Settled as written (rule 2 of *Exceptions* in docs/design.md), every iteration waits for its
answer at the end of the ``try`` body, so the loop's calls run one after another. Yet the
statement is a branch in disguise: the handler runs if and only if the call failed with a
matching class, the rest of the body if it did not. When the body is that simple, this module
rewrites the statement, before any other pass sees the function, into::

    __opp_ok = False
    __opp_tm = __opportune_try_enter__()
    try:
        try:
            __opp_tv = ask(q)                      # the body's expression, issued at once
            __opp_ok = True
        except __opportune_Escaping__ as __opp_te:
            __opportune_unescape__(__opp_te, __opp_tm)
        finally:
            __opp_to = __opportune_try_outcome__(__opp_tm, __opp_ok, lambda: ValueError)
    except __opportune_Escaping__:
        raise
    except ValueError as __opp_tx:                 # it raised while being evaluated
        __opp_to = __opp_tx
    if __opp_to is not None:                       # the failure the handler catches
        out.append(None)                           # (its ``as`` name reads ``__opp_to``)
    else:
        out.append(__opp_tv)

``__opportune_try_outcome__`` (``Runtime.try_outcome``) does not wait: while calls issued by
the expression are unfinished it returns a pending *outcome* that becomes the exception the
handler catches, or None once they all succeeded, and fails with the call's own failure when
no handler matches. The failures of those calls are held by the outcome instead of being
recorded as the program's, so nothing meets a caught failure. The ``if`` is then an ordinary
one on a pending condition, deferred like any other whose arms change the function's own
lists or print (compiler/arm_objects.py); where it is not, it waits, as the ``try`` did.

Only shapes whose meaning the rewrite keeps exactly are taken (:func:`_qualifies`): the
body's first statement binds a name to the expression, appends it to a list the function
made itself, or is the expression alone, and whatever follows in the body cannot raise;
``except`` clauses naming classes (several become a chain on the number of the clause that
catches, :func:`_rewrite_clauses`); no ``finally``; handlers that neither leave the code
around them nor look at the exception being handled other than through the ``as`` name (they
run outside the ``except`` clause: ``sys.exc_info()`` would be empty there).

The program's own module gets the same rewrite at its top level (:func:`desugar_module`),
under the rules of module-level arms (compiler/arm_objects.py).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from opportune.compiler import traversal

TRY_OUTCOME = "__opportune_try_outcome__"
TRY_CLAUSE = "__opportune_try_clause__"
_TRY_ENTER = "__opportune_try_enter__"
_UNESCAPE = "__opportune_unescape__"
_ESCAPING = "__opportune_Escaping__"
OUTCOME = "_opportune_try_outcome"  # on the generated ``Try`` nodes: leave them as they are
HOOK = "_opportune_hook_call"  # on the generated calls of hooks: not through a call site
PART = "_opportune_try_part"  # on the statements a module-level rewrite made: never cut apart

# Calls a handler may make by name: builtins that neither raise nor look at the exception
# being handled except through their arguments (``print``, ``str(e)``).
_HANDLER_CALLS = frozenset({
    "print", "str", "repr", "len", "type", "format", "int", "float", "bool", "isinstance",
    "min", "max", "sorted", "list", "dict", "tuple", "set", "sum", "abs", "round",
})
# Methods a handler may call: in-place changes of containers and plain text methods.
_HANDLER_METHODS = frozenset({
    "append", "add", "update", "setdefault", "extend", "insert", "lower", "upper", "strip",
    "split", "join", "format", "replace", "startswith", "endswith", "get",
})
# What shows the exception being handled, or the frame, other than the ``as`` name.
_HANDLER_FORBIDDEN_NAMES = frozenset({
    "sys", "traceback", "logging", "locals", "vars", "globals", "eval", "exec", "super",
    "__class__", "breakpoint",
})
_LEAVES = (ast.Return, ast.Raise, ast.Assert, ast.Break, ast.Continue)
_NOT_IN_HANDLER = (
    ast.Try, ast.TryStar, ast.With, ast.AsyncWith, ast.FunctionDef, ast.AsyncFunctionDef,
    ast.ClassDef, ast.Lambda, ast.Yield, ast.YieldFrom, ast.Await, ast.Global, ast.Nonlocal,
    ast.Delete, ast.NamedExpr, ast.Import, ast.ImportFrom, ast.Match, ast.While, ast.For,
    ast.AsyncFor, ast.GeneratorExp,
)
_NOT_IN_EXPRESSION = (ast.Yield, ast.YieldFrom, ast.Await, ast.NamedExpr, ast.Lambda)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass
class Rewritten:
    """One ``try`` :func:`desugar` rewrote: where its statements stand, to put it back."""

    stmts: list[ast.stmt]  # the statement list it stands in
    new: list[ast.stmt]  # what replaced it there
    original: ast.Try
    # the branch on the outcome (the last of ``new``); None when both arms do nothing
    branch: ast.If | None


def desugar(fn: ast.FunctionDef | ast.Module, counter: Iterator[int],
            modules: frozenset[str] = frozenset()) -> list[Rewritten]:
    """Rewrite, in place, each ``try`` of ``fn``'s own code that qualifies (see the module
    docstring) and stands outside every other ``try``, ``with`` and ``match``; returns what
    was rewritten. ``modules``: names the module binds only by ``import``, whose attributes
    an ``except`` clause may name (``json.JSONDecodeError``): reading those runs no code of
    the program's, so the runtime may read them before the body has raised.

    ``fn`` may be the program's own module (:func:`desugar_module`): its top-level code,
    walked as a function's body is (never into its functions or classes)."""
    every = traversal.nodes(fn)
    if not any(type(n) is ast.Try for n in every) \
            or any(type(n) is ast.Name and n.id in ("locals", "vars", "eval", "exec")
                   for n in every):
        return []
    if isinstance(fn, ast.Module) and _module_seen(every):
        return []
    lists = _always(fn, (ast.List,), "list")
    dicts = _always(fn, (ast.Dict,), "dict")
    done: list[Rewritten] = []

    def walk(stmts: list[ast.stmt]) -> None:
        i = 0
        while i < len(stmts):
            s = stmts[i]
            if isinstance(s, ast.Try) \
                    and _qualifies(fn, s, lists, dicts, top_before(s), modules):
                new = _rewrite(s, next(counter))
                stmts[i:i + 1] = new
                branch = new[-1] if isinstance(new[-1], ast.If) else None
                done.append(Rewritten(stmts, new, s, branch))
                i += len(new)
                continue
            if isinstance(s, (ast.For, ast.While, ast.If)):
                walk(s.body)
                walk(s.orelse)
            i += 1

    bound_at_top: set[str] = set()
    seen: dict[int, frozenset[str]] = {}

    def top_before(s: ast.stmt) -> frozenset[str]:
        return seen.get(id(s), frozenset(bound_at_top))

    # which containers the function's top level has bound before each of its statements
    for s in fn.body:
        for n in traversal.nodes(s):
            if isinstance(n, ast.Try):
                seen[id(n)] = frozenset(bound_at_top)
        if isinstance(s, ast.Assign) and len(s.targets) == 1 \
                and isinstance(s.targets[0], ast.Name):
            bound_at_top.add(s.targets[0].id)
    walk(fn.body)
    return done


def desugar_module(tree: ast.Module, counter: Iterator[int],
                   modules: frozenset[str]) -> list[Rewritten]:
    """:func:`desugar` for the top-level code of the program's own module (the script
    ``opportune run`` runs, ``run_source``'s code). Its names live in a dict other code can
    read, so the rules of module-level arms apply (compiler/arm_objects.py): nothing in the
    module may reach its namespace but by name (``globals()``, ``exec``, the module object,
    a star import), and the containers an ``append`` or a store goes to are names no
    function, lambda or class of the module mentions, so no code the call runs can rebind
    them. The helper names are module globals: :func:`forget_helpers` removes them after
    the branch. Generated statements are marked (:data:`PART`), so a stage is never cut
    among them (compiler/stages.py)."""
    own = _own_functions(tree)
    done = desugar(tree, counter, modules)
    for r in list(done):
        expr = r.original._opp_first[0]  # type: ignore[attr-defined]
        if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in own
               for n in traversal.nodes(expr)):
            revert(r)
            done.remove(r)
    for r in done:
        for s in r.new:
            setattr(s, PART, True)
    return done


def _own_functions(tree: ast.Module) -> frozenset[str]:
    """Names the module binds to its own functions and classes, externals aside: a module-level
    call of one may run as a concurrent user function once it is the value of a name (the
    rewrite binds the body's value), which the body as written never was; such a ``try``
    stays as written."""
    own: set[str] = set()
    for n in traversal.nodes(tree):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not any((d.func if isinstance(d, ast.Call) else d).__class__ in (ast.Name, ast.Attribute)
                       and _last_name(d.func if isinstance(d, ast.Call) else d) == "external"
                       for d in n.decorator_list):
                own.add(n.name)
        elif isinstance(n, ast.ClassDef):
            own.add(n.name)
        elif isinstance(n, ast.Assign) and isinstance(n.value, ast.Lambda):
            own.update(t.id for t in n.targets if isinstance(t, ast.Name))
    return frozenset(own)


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def forget_helpers(r: Rewritten) -> None:
    """After a module-level rewrite the program keeps: remove its helper names from the
    module's namespace once the branch has read them (a deferred branch captured them),
    through ``__opportune_globals__`` (compiler/stages.py), which code that reaches the
    namespace unseen (``globals()``) would have kept from being rewritten."""
    last = r.new[-1]
    k = last._opp_try_k  # type: ignore[attr-defined]
    names = tuple(f"__opp_t{x}{k}" for x in ("ok", "m", "v", "o", "c"))
    forget = ast.Expr(_hook("__opportune_forget__", [
        _hook("__opportune_globals__", []), ast.Constant(names)]))
    setattr(forget, PART, True)
    _locate(forget, r.original)
    for i, s in enumerate(r.stmts):
        if s is last:
            r.stmts.insert(i + 1, forget)
            r.new.append(forget)
            return


def _module_seen(every: list[ast.AST]) -> bool:
    """Whether the module's code may reach its namespace other than by name."""
    from opportune.compiler.arm_objects import _MODULE_VIEWS

    for n in every:
        if isinstance(n, ast.Name) and n.id in _MODULE_VIEWS \
                or isinstance(n, ast.Attribute) and n.attr in _MODULE_VIEWS:
            return True
        if isinstance(n, (ast.Import, ast.ImportFrom)) \
                and any(a.name == "*" or a.name.split(".")[0] in _MODULE_VIEWS for a in n.names):
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "dir" \
                and not n.args:
            # lists the names bound: an if-converted branch binds a maybe-unbound stand-in
            return True
    return False


def revert(r: Rewritten) -> None:
    """Put the original ``try`` back: its branch would not be deferred, and waiting at the
    ``try`` as written is what --explain can name."""
    for i, s in enumerate(r.stmts):
        if s is r.new[0]:
            r.stmts[i:i + len(r.new)] = [r.original]
            return


def module_imports(tree: ast.Module) -> frozenset[str]:
    """Names the module's top level binds by ``import x`` / ``import x as y`` and nothing
    else binds anywhere in it (see :func:`desugar`)."""
    imported: set[str] = set()
    other: set[str] = set()
    for node in traversal.nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.asname or alias.name.split(".")[0]
                (imported if node in tree.body else other).add(name)
        elif isinstance(node, ast.ImportFrom):
            other.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            other.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            other.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            other.update(node.names)
        elif isinstance(node, ast.arg):
            other.add(node.arg)
    return frozenset(imported - other)


def _always(fn: ast.FunctionDef | ast.Module, kinds: tuple[type, ...], call: str) -> frozenset[str]:
    """Locals of ``fn`` bound only as ``x = []`` / ``x = list()`` (or ``{}`` / ``dict()``),
    never elsewhere, and never named in a nested scope: whenever code reaches them they hold
    such a container, so an ``append`` or a store of a constant key cannot raise."""
    ok: dict[str, bool] = {}
    params: set[str] = set()
    if isinstance(fn, ast.FunctionDef):
        a = fn.args
        params = {x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg)
                  if x is not None}
    inner: set[str] = set()
    for node in traversal.nodes(fn):
        if isinstance(node, _SCOPES) and node is not fn:
            inner |= {n.id for n in traversal.nodes(node) if isinstance(n, ast.Name)}
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                ok[name] = False
        if isinstance(node, ast.Assign):
            fresh = isinstance(node.value, kinds) and not getattr(node.value, "elts", None) \
                and not getattr(node.value, "keys", None) \
                or isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) \
                and node.value.func.id == call and not node.value.args \
                and not node.value.keywords
            for t in node.targets:
                if isinstance(t, ast.Name):
                    ok[t.id] = ok.get(t.id, True) and fresh
                    t._opp_always = fresh  # type: ignore[attr-defined]
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) \
                and not getattr(node, "_opp_always", False):
            ok[node.id] = False
    return frozenset(n for n, good in ok.items() if good) - params - inner


def _expression(node: ast.expr) -> bool:
    """An expression the rewrite may evaluate at once, as the body's first step."""
    nodes = traversal.nodes(node)
    return any(isinstance(n, ast.Call) for n in nodes) \
        and not any(isinstance(n, _NOT_IN_EXPRESSION) for n in nodes)


def _first(stmt: ast.stmt, lists: frozenset[str], dicts: frozenset[str],
           bound: frozenset[str]) -> tuple[ast.expr, str, str | None] | None:
    """The expression of the body's first statement, its kind and the name it binds, if it
    is one of ``x = E`` (``"name"``), ``xs.append(E)`` (``"append"``), ``d["k"] = E``
    (``"store"``) or ``E`` (``"expr"``); the container must be bound by the function's top
    level before the ``try`` (``.append`` and the store cannot fail then). Any other
    expression statement is ``E`` as a whole: evaluated inside the guarded body, a change
    it makes waits for the body's calls as in any ``try``."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        t = stmt.targets[0]
        if isinstance(t, ast.Name):
            return stmt.value, "name", t.id
        if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) \
                and t.value.id in dicts and t.value.id in bound and _constant_key(t.slice):
            return stmt.value, "store", None
        return None
    if isinstance(stmt, ast.Expr):
        v = stmt.value
        if isinstance(v, ast.Call) and isinstance(v.func, ast.Attribute) \
                and v.func.attr == "append" and isinstance(v.func.value, ast.Name) \
                and v.func.value.id in lists and v.func.value.id in bound \
                and len(v.args) == 1 and not v.keywords \
                and not isinstance(v.args[0], ast.Starred):
            return v.args[0], "append", None
        return v, "expr", None
    return None


def _constant_key(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (str, int)


def _simple(node: ast.expr, bound: set[str]) -> bool:
    """A value whose evaluation cannot raise: a constant, or a name the body bound."""
    return isinstance(node, ast.Constant) or isinstance(node, ast.Name) and node.id in bound


def _rest_cannot_raise(stmts: list[ast.stmt], bound: set[str], lists: frozenset[str],
                       dicts: frozenset[str], top: frozenset[str]) -> bool:
    """Whether the statements after the body's first one cannot raise: they run in the arm
    for a call that succeeded, where the handler no longer catches."""
    for s in stmts:
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and _simple(s.value, bound):
            t = s.targets[0]
            if isinstance(t, ast.Name):
                bound.add(t.id)
                continue
            if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) \
                    and t.value.id in dicts and t.value.id in top and _constant_key(t.slice):
                continue
            return False
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call):
            v = s.value
            if isinstance(v.func, ast.Attribute) and v.func.attr == "append" \
                    and isinstance(v.func.value, ast.Name) and v.func.value.id in lists \
                    and v.func.value.id in top and len(v.args) == 1 and not v.keywords \
                    and _simple(v.args[0], bound):
                continue
        if isinstance(s, ast.Pass):
            continue
        return False
    return True


def _classes(node: ast.expr | None, modules: frozenset[str]) -> bool:
    """``except`` classes the runtime may read ahead without running code of the program's:
    names, attributes of imported modules (``json.JSONDecodeError``), tuples of those."""
    if node is None:
        return False
    if isinstance(node, ast.Tuple):
        return bool(node.elts) and all(_classes(e, modules) for e in node.elts)
    if isinstance(node, ast.Attribute):
        return isinstance(node.value, ast.Name) and node.value.id in modules
    return isinstance(node, ast.Name)


def _handler_ok(handler: ast.ExceptHandler) -> bool:
    """The handler runs outside the ``except`` clause, maybe later: it must neither leave
    the code around it nor look at the exception being handled but through its name."""
    stack: list[ast.AST] = list(handler.body)
    while stack:
        n = stack.pop()
        if isinstance(n, (*_LEAVES, *_NOT_IN_HANDLER)):
            return False
        if isinstance(n, ast.Name) and n.id in _HANDLER_FORBIDDEN_NAMES:
            return False
        if isinstance(n, ast.Attribute) and n.attr.startswith(("exc_", "f_", "tb_", "__")) \
                and n.attr not in ("__name__", "__qualname__"):
            return False
        if isinstance(n, ast.Call):
            f = n.func
            if isinstance(f, ast.Name):
                if f.id not in _HANDLER_CALLS:
                    return False
            elif not (isinstance(f, ast.Attribute) and f.attr in _HANDLER_METHODS):
                return False
        stack.extend(traversal.children(n))
    return True


def _name_private(fn: ast.FunctionDef | ast.Module, name: str) -> bool:
    """Whether ``name`` (a handler's ``as`` name) is used only inside handlers that bind it:
    after the handler Python unbinds it, which the branch the rewrite makes does not."""
    inside: set[int] = set()
    for node in traversal.nodes(fn):
        if isinstance(node, ast.ExceptHandler) and node.name == name:
            inside |= {id(n) for s in node.body for n in traversal.nodes(s)}
    for node in traversal.nodes(fn):
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return False
        if isinstance(node, ast.arg) and node.arg == name:
            return False
        if isinstance(node, ast.Name) and node.id == name and id(node) not in inside:
            return False
    return True


def _qualifies(fn: ast.FunctionDef | ast.Module, node: ast.Try, lists: frozenset[str],
               dicts: frozenset[str], top: frozenset[str], modules: frozenset[str]) -> bool:
    if node.finalbody or not node.handlers or not node.body:
        return False
    for handler in node.handlers:
        if not _classes(handler.type, modules) or not _handler_ok(handler):
            return False
        if handler.name is not None and not _name_private(fn, handler.name):
            return False
    first = _first(node.body[0], lists, dicts, top)
    if first is None or not _expression(first[0]):
        return False
    bound = {first[2]} if first[2] is not None else set()
    if not _rest_cannot_raise(node.body[1:], bound, lists, dicts, top):
        return False
    node._opp_first = first[:2]  # type: ignore[attr-defined]
    return True


def _hook(name: str, args: list[ast.expr]) -> ast.Call:
    call = ast.Call(_load(name), args, [])
    setattr(call, HOOK, True)
    return call


def _load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def _store(name: str) -> ast.Name:
    return ast.Name(name, ast.Store())


def _flat(types: list[ast.expr]) -> ast.Tuple:
    """The classes several ``except`` clauses name, as one flat tuple (what the outcome may
    hold; ``catching.classes_of`` takes no nested tuple)."""
    elts: list[ast.expr] = []
    for t in types:
        elts.extend(t.elts if isinstance(t, ast.Tuple) else [t])
    return ast.Tuple([traversal.copy_tree(e) for e in elts], ast.Load())


def _thunk(body: ast.expr) -> ast.Lambda:
    return ast.Lambda(
        ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                      kwarg=None, defaults=[]),
        body)


def _handler_body(handler: ast.ExceptHandler, outcome: str) -> list[ast.stmt]:
    """A copy of the handler's body that reads the outcome for its ``as`` name: the name is
    used nowhere else (_name_private), and an arm that bound it would capture the exception
    object the name kept from an earlier failure, which it cannot share
    (runtime/deferral.py)."""
    caught: list[ast.stmt] = traversal.copy_tree(handler.body)
    if handler.name is not None:
        for n in traversal.nodes(ast.Module(caught, [])):
            if isinstance(n, ast.Name) and n.id == handler.name:
                n.id = outcome
    return caught


def _rewrite(node: ast.Try, k: int | str) -> list[ast.stmt]:
    """The statements that replace ``node`` (see the module docstring)."""
    if len(node.handlers) > 1:
        return _rewrite_clauses(node, k)
    ok, mark, value, outcome = f"__opp_tok{k}", f"__opp_tm{k}", f"__opp_tv{k}", f"__opp_to{k}"
    escaping, raised = f"__opp_te{k}", f"__opp_tx{k}"
    handler = node.handlers[0]
    first = node.body[0]
    expr, kind = node._opp_first  # type: ignore[attr-defined]
    success: ast.stmt
    # the branch gets copies: :func:`revert` may put the original back
    expr = traversal.copy_tree(expr)
    if kind in ("name", "store"):
        assert isinstance(first, ast.Assign)
        success = ast.Assign(traversal.copy_tree(first.targets), _load(value))
    elif kind == "append":
        assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Call)
        success = ast.Expr(ast.Call(traversal.copy_tree(first.value.func), [_load(value)], []))
    else:
        success = ast.Pass()
    _locate(success, first)
    classes = traversal.copy_tree(handler.type)
    thunk = ast.Lambda(
        ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                      kwarg=None, defaults=[]),
        classes)
    inner = ast.Try(
        body=[ast.Assign([_store(value)], expr), ast.Assign([_store(ok)], ast.Constant(True))],
        handlers=[ast.ExceptHandler(_load(_ESCAPING), escaping, [
            ast.Expr(_hook(_UNESCAPE, [_load(escaping), _load(mark)]))])],
        orelse=[],
        finalbody=[ast.Assign([_store(outcome)], _hook(
            TRY_OUTCOME, [_load(mark), _load(ok), thunk, ast.Constant(_reads(handler))]))])
    outer = ast.Try(
        body=[inner],
        handlers=[ast.ExceptHandler(_load(_ESCAPING), None, [ast.Raise()]),
                  ast.ExceptHandler(handler.type, raised,
                                    [ast.Assign([_store(outcome)], _load(raised))])],
        orelse=[], finalbody=[])
    setattr(inner, OUTCOME, True)
    setattr(outer, OUTCOME, True)
    caught: list[ast.stmt] = traversal.copy_tree(handler.body)
    if handler.name is not None:
        # the handler reads the outcome itself: its ``as`` name is used nowhere else
        # (_name_private), and an arm that bound it would capture the exception object the
        # name kept from an earlier failure, which it cannot share (runtime/deferral.py)
        for n in traversal.nodes(ast.Module(caught, [])):
            if isinstance(n, ast.Name) and n.id == handler.name:
                n.id = outcome
    branch = ast.If(
        ast.Compare(_load(outcome), [ast.IsNot()], [ast.Constant(None)]),
        caught, [success, *traversal.copy_tree([*node.body[1:], *node.orelse])])
    start = [ast.Assign([_store(ok)], ast.Constant(False)),
             ast.Assign([_store(mark)], _hook(_TRY_ENTER, []))]
    stmts: list[ast.stmt] = [*start, outer]
    if not all(isinstance(x, ast.Pass) for x in (*branch.body, *branch.orelse)):
        stmts.append(branch)
    # else ``try: notify(x) except E: pass``: nothing to decide; the outcome alone holds a
    # caught failure, or fails with one the clause does not catch, met where the program
    # next looks, as after the ``try``
    for s in stmts:
        _locate(s, node)
    stmts[-1]._opp_try_k = k  # type: ignore[attr-defined]
    return stmts


def _success(node: ast.Try, value: str) -> ast.stmt:
    """The body's first statement with the expression's value in its place."""
    first = node.body[0]
    _, kind = node._opp_first  # type: ignore[attr-defined]
    success: ast.stmt
    if kind in ("name", "store"):
        assert isinstance(first, ast.Assign)
        success = ast.Assign(traversal.copy_tree(first.targets), _load(value))
    elif kind == "append":
        assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Call)
        success = ast.Expr(ast.Call(traversal.copy_tree(first.value.func), [_load(value)], []))
    else:
        success = ast.Pass()
    _locate(success, first)
    return success


def _rewrite_clauses(node: ast.Try, k: int | str) -> list[ast.stmt]:
    """:func:`_rewrite` for several ``except`` clauses. The outcome holds a failure any of
    them catches (their classes as one flat tuple); ``__opportune_try_clause__`` numbers
    the clause that catches it, the first whose classes are among the exception's class's
    ``__mro__``, as the interpreter tests them in order (0: none failed), without waiting;
    the branch is a chain on that number, each handler an arm::

        __opp_tc = 0
        ...     # as for one clause, then in the inner ``finally``:
            __opp_tc = __opportune_try_clause__(__opp_to, (lambda: E1, lambda: E2))
        except __opportune_Escaping__:
            raise
        except E1 as __opp_tx:                 # raised while being evaluated
            __opp_to, __opp_tc = __opp_tx, 1
        except E2 as __opp_tx:
            __opp_to, __opp_tc = __opp_tx, 2
        if __opp_tc == 1:
            H1
        elif __opp_tc == 2:
            H2
        else:
            <the rest of the body, then ``else``>
    """
    ok, mark, value, outcome = f"__opp_tok{k}", f"__opp_tm{k}", f"__opp_tv{k}", f"__opp_to{k}"
    escaping, raised, clause = f"__opp_te{k}", f"__opp_tx{k}", f"__opp_tc{k}"
    expr, _ = node._opp_first  # type: ignore[attr-defined]
    success = _success(node, value)
    types = [h.type for h in node.handlers]
    assert all(t is not None for t in types)
    thunk = _thunk(_flat(types))  # type: ignore[arg-type]
    clauses = ast.Tuple([_thunk(traversal.copy_tree(t)) for t in types], ast.Load())
    inner = ast.Try(
        body=[ast.Assign([_store(value)], traversal.copy_tree(expr)),
              ast.Assign([_store(ok)], ast.Constant(True))],
        handlers=[ast.ExceptHandler(_load(_ESCAPING), escaping, [
            ast.Expr(_hook(_UNESCAPE, [_load(escaping), _load(mark)]))])],
        orelse=[],
        finalbody=[
            ast.Assign([_store(outcome)], _hook(TRY_OUTCOME, [_load(mark), _load(ok), thunk])),
            ast.Assign([_store(clause)], _hook(TRY_CLAUSE, [_load(outcome), clauses]))])
    handlers = [ast.ExceptHandler(_load(_ESCAPING), None, [ast.Raise()])]
    for i, h in enumerate(node.handlers, 1):
        handlers.append(ast.ExceptHandler(h.type, raised, [
            ast.Assign([_store(outcome)], _load(raised)),
            ast.Assign([_store(clause)], ast.Constant(i))]))
    outer = ast.Try(body=[inner], handlers=handlers, orelse=[], finalbody=[])
    setattr(inner, OUTCOME, True)
    setattr(outer, OUTCOME, True)
    rest: list[ast.stmt] = [success, *traversal.copy_tree([*node.body[1:], *node.orelse])]
    chain: list[ast.stmt] = rest
    for i in range(len(node.handlers), 0, -1):
        test = ast.Compare(_load(clause), [ast.Eq()], [ast.Constant(i)])
        chain = [ast.If(test, _handler_body(node.handlers[i - 1], outcome), chain)]
    start = [ast.Assign([_store(ok)], ast.Constant(False)),
             ast.Assign([_store(clause)], ast.Constant(0)),
             ast.Assign([_store(mark)], _hook(_TRY_ENTER, []))]
    stmts: list[ast.stmt] = [*start, outer, *chain]
    for s in stmts:
        _locate(s, node)
    stmts[-1]._opp_try_k = k  # type: ignore[attr-defined]
    return stmts


def _reads(handler: ast.ExceptHandler) -> bool:
    """Whether the handler reads its exception through its ``as`` name: rendering it or
    reading its attributes may run code of the exception's class (see
    ``Runtime.try_outcome``)."""
    return handler.name is not None and any(
        isinstance(n, ast.Name) and n.id == handler.name
        for s in handler.body for n in traversal.nodes(s))


def _locate(new: ast.AST, original: ast.stmt) -> None:
    """Nodes made here take the ``try``'s line; the program's own keep theirs."""
    for n in traversal.nodes(new):
        if "lineno" in n._attributes and not hasattr(n, "lineno"):
            ast.copy_location(n, original)
