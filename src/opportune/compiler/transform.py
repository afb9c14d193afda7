"""The source transformation: ordinary Python in, the same Python with runtime hooks out.

Only three constructs change, so everything else (classes, closures, generators, ``global``,
``nonlocal``, comprehensions, ``with``, loops) keeps CPython's own semantics and speed:

* calls ``f(a, *b, k=c)`` become ``__opportune_call__(f, a, *b, k=c)``, which decides at run
  time what ``f`` is (see :mod:`opportune.runtime.dispatch`);
* f-strings become ``__opportune_fstring__(...)``, so text can be built from pending values
  without waiting for them;
* ``is`` and ``is not`` compare the values, not pending stand-ins for them;
* ``in`` and ``not in`` give a pending answer while an operand is pending (see
  ``_membership``);
* ``try`` statements record where they begin, make the calls issued in their body raise inside
  that body, and let a failure from *before* the ``try`` pass through untouched.

Frame-sensitive builtins (``super()``, ``locals()``, ``globals()``, ``vars()``, ``dir()``,
``eval``, ``exec``) are left as they are: they must run in the caller's own frame.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable
from typing import Any

from opportune.compiler import (
    arm_objects,
    branches,
    callsites,
    changes,
    comprehensions,
    continues,
    deferral,
    rollback,
    stages,
    traversal,
    tries,
)
from opportune.compiler.purity import analyse, method_facts
from opportune.compiler.registry import note_instance_method, note_pure_function
from opportune.compiler.traversal import Transformer, fix_missing_locations

CALL = "__opportune_call__"
FSTRING = "__opportune_fstring__"
PERCENT = "__opportune_percent__"  # ``"..." % args``: printf-style formatting, see visit_BinOp
TRY_ENTER = "__opportune_try_enter__"
TRY_EXIT = "__opportune_try_exit__"
UNESCAPE = "__opportune_unescape__"
ESCAPING = "__opportune_Escaping__"
ENTERED = "__opportune_entered__"  # a ``finally``: whether plain Python entered its ``try``
STORE_GUARD = "__opportune_store__"
IS = "__opportune_is__"
IN = "__opportune_in__"  # ``a in b``/``a not in b``: lazy while an operand is pending
IN_PLAIN = "__opportune_in_plain__"  # containers whose ``in`` compiled code makes inline
LIVE = "__opportune_live__"  # runtime/context.LIVE: empty while nothing is being computed
PENDING = "__opportune_pending__"  # the class of pending values (runtime/values.Pending)
CONCRETE = "__opportune_concrete__"
# ``@functools.cached_property`` in a class body: runtime/caches.cached_property
CACHED_PROPERTY = "__opportune_cached_property__"
HIDE = "__opportune_hide__"  # locals()/vars()/dir() without the compiler's helper names
FORGET = "__opportune_forget__"  # drops helper names from a module's namespace
HELPER_PREFIX = "__opp"  # every name the compiler binds starts with it
# compiled generators end once a failing call ended them in plain Python (runtime/generators.py)
GENERATOR = "__opportune_generator__"  # a generator function's token, made as it first runs
GENERATOR_TOKEN = "__opp_generator"  # the local that holds it
RESUMED = "__opportune_resumed__"  # around each ``yield``: raises GENERATOR_ENDED once it is over
GENERATOR_ENDED = "__opportune_GeneratorEnded__"
GENEXP_SOURCE = "__opportune_genexp_source__"  # a generator expression's outermost iterator
# Callees that consume a generator expression given to them at once: it is gone afterwards,
# so nothing can resume it after a failing call ended it.
_CONSUMERS = frozenset({"list", "tuple", "set", "frozenset", "dict", "sorted", "sum", "min",
                        "max", "any", "all"})

# Methods the interpreter calls implicitly and whose result it checks by type: they must hand
# back a real value, not a pending one.
CONCRETE_DUNDERS = frozenset({
    "__str__", "__repr__", "__format__", "__bytes__", "__len__", "__bool__", "__hash__",
    "__int__", "__float__", "__complex__", "__index__", "__length_hint__", "__fspath__",
    "__contains__", "__instancecheck__", "__subclasscheck__", "__sizeof__", "__dir__",
})

FRAME_SENSITIVE = frozenset({"super", "locals", "globals", "vars", "dir", "eval", "exec"})
_NAMESPACE_VIEWS = frozenset({"locals", "vars", "dir"})


def _range_counters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """The local names of ``function`` bound only as the target of ``for NAME in range(...)``
    statements in its own body (not a parameter, not declared ``global``/``nonlocal``, stored
    nowhere else, comprehensions and nested scopes included as other stores): ints, whose
    ``%`` is arithmetic and needs no printf-style hook."""
    args = function.args
    excluded = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    excluded.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    counters: set[str] = set()
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            excluded.update(node.names)
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Name) \
                and isinstance(node.iter, ast.Call) and isinstance(node.iter.func, ast.Name) \
                and node.iter.func.id == "range":
            counters.add(node.target.id)
            stack.extend(node.body)
            stack.extend(node.orelse)
            stack.append(node.iter)
            continue
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            excluded.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            excluded.add(node.name)
        elif isinstance(node, ast.alias):
            excluded.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            excluded.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            excluded.add(node.rest)
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(counters - excluded)


_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
                  ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _own_locals(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    """Names ``function`` certainly binds in its own scope (parameters, assignments, loop and
    ``with`` targets, imports, nested ``def``/``class`` names, ``except ... as`` and ``case``
    captures), none declared ``global`` anywhere inside it: a load of one, in its body or in a
    scope nested in it, never reads the module's namespace (changes.tell_module_stores need
    not tell a top-level rebinding of it). What nested scopes and comprehensions bind is not
    counted, which can only leave a name counted as read."""
    args = function.args
    local = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    local.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    if isinstance(function, ast.Lambda):
        return local
    declared: set[str] = set()
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            if type(node.ctx) is not ast.Load:
                local.add(node.id)
            continue
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            local.add(node.name)
        elif isinstance(node, ast.alias):
            local.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
            if node.name:
                local.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            local.add(node.rest)
        if isinstance(node, _NESTED_SCOPES):
            # what it binds is its own; a ``global`` line inside still names the module's
            declared.update(n for inner in traversal.nodes(node)
                            if isinstance(inner, (ast.Global, ast.Nonlocal)) for n in inner.names)
            continue
        stack.extend(traversal.children(node))
    return local - declared


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _own_yields(function: ast.FunctionDef) -> bool:
    """Whether ``function`` itself is a generator (a ``yield`` outside its nested scopes)."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, _SCOPES):
            stack.extend(traversal.children(node))
    return False


def _ending_generator(function: ast.FunctionDef) -> None:
    """Let a failing call end ``function``, a generator, at its next ``yield``
    (runtime/generators.py). Its body first takes a token; a ``yield`` that is a statement of
    its own (``yield v``, ``x = yield v``) is followed by ``if __opp_generator.dead: return``;
    any other becomes ``__opportune_resumed__(__opp_generator, (yield v))``, which raises
    ``__opportune_GeneratorEnded__``, and then the body is wrapped so that it returns::

        __opp_generator = __opportune_generator__()
        try:
            BODY
        except __opportune_GeneratorEnded__:
            return
    """
    body = function.body
    docstring: list[ast.stmt] = []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        docstring, body = body[:1], body[1:]
    body = _checked_after_yields(body)
    inside = _ResumedYields()
    body = [inside.visit(stmt) for stmt in body]
    first = body[0] if body else function
    token = ast.copy_location(ast.Assign([ast.Name(GENERATOR_TOKEN, ast.Store())],
                                         ast.Call(ast.Name(GENERATOR, ast.Load()), [], [])),
                              first)
    if inside.wrapped:
        ended = ast.copy_location(ast.ExceptHandler(ast.Name(GENERATOR_ENDED, ast.Load()),
                                                    None, [ast.Return(None)]), first)
        body = [ast.copy_location(ast.Try(body, [ended], [], []), first)]
    function.body = [*docstring, token, *body]


_BODIES = ("body", "orelse", "finalbody")


def _statement_yield(stmt: ast.stmt) -> bool:
    """``yield v`` or ``name = yield v``: nothing runs after the resumption within it."""
    if not (isinstance(stmt, ast.Expr) or isinstance(stmt, ast.Assign)
            and all(isinstance(t, ast.Name) for t in stmt.targets)):
        return False
    value = stmt.value
    if isinstance(value, (ast.Yield, ast.YieldFrom)):
        value.opp_checked = True  # type: ignore[union-attr]
        return True
    return False


def _checked_after_yields(stmts: list[ast.stmt]) -> list[ast.stmt]:
    """``stmts`` with ``if __opp_generator.dead: return`` after each statement ``yield``, in
    the bodies of compound statements too (not in nested functions or classes)."""
    out: list[ast.stmt] = []
    for stmt in stmts:
        out.append(stmt)
        if _statement_yield(stmt):
            dead = ast.Attribute(ast.Name(GENERATOR_TOKEN, ast.Load()), "dead", ast.Load())
            out.append(ast.copy_location(ast.If(dead, [ast.Return(None)], []), stmt))
            continue
        if isinstance(stmt, _SCOPES):
            continue
        for field in _BODIES:
            inner = getattr(stmt, field, None)
            if inner:
                setattr(stmt, field, _checked_after_yields(inner))
        for handler in getattr(stmt, "handlers", ()):
            handler.body = _checked_after_yields(handler.body)
        for case in getattr(stmt, "cases", ()):
            case.body = _checked_after_yields(case.body)
    return out


class _ResumedYields(ast.NodeTransformer):
    """The generator's other ``yield``s, inside expressions: ``__opportune_resumed__(token,
    (yield v))``."""

    def __init__(self) -> None:
        self.wrapped = False

    def _scope(self, node: ast.AST) -> ast.AST:
        return node  # a nested function, lambda or class has yields of its own

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = _scope

    def _yield(self, node: ast.Yield | ast.YieldFrom) -> ast.AST:
        self.generic_visit(node)
        if getattr(node, "opp_checked", False):
            return node
        self.wrapped = True
        return ast.copy_location(ast.Call(ast.Name(RESUMED, ast.Load()),
                                          [ast.Name(GENERATOR_TOKEN, ast.Load()), node], []),
                                 node)

    visit_Yield = visit_YieldFrom = _yield


ITERATE = "__opportune_iterate__"  # an iterable read inside a try body (runtime/iterators.py)
GUARD_OPEN = "__opportune_guard_open__"  # runtime/context.GUARD_OPEN
# Builtins that take items from the iterators they are given: the arguments they iterate
# (``None``: all of them, from the second on for ``map`` and ``filter``).
_ADVANCING: dict[str, slice] = {
    **{name: slice(0, 1) for name in ("next", "enumerate", "list", "tuple", "set", "frozenset",
                                      "dict", "sorted", "sum", "any", "all")},
    "zip": slice(0, None), "map": slice(1, None), "filter": slice(1, None),
}


def _iterated(node: ast.expr) -> ast.expr:
    """``rows`` as a loop or a consuming builtin reads it: through ``__opportune_iterate__``
    while a ``try`` or ``with`` body is open, so that taking an item from an iterator waits
    for the body's calls (runtime/iterators.py). A name is tested inline (evaluating it twice
    has no effect); an attribute always goes through the hook (evaluated once); anything else
    makes a new iterator no one else holds and is left as it is."""
    if isinstance(node, ast.Name):
        hook = ast.Call(ast.Name(ITERATE, ast.Load()), [traversal.copy_tree(node)], [])
        return ast.copy_location(
            ast.IfExp(ast.Name(GUARD_OPEN, ast.Load()), hook, node), node)
    if isinstance(node, ast.Attribute):
        return ast.copy_location(ast.Call(ast.Name(ITERATE, ast.Load()), [node], []), node)
    return node


def _iterated_arguments(node: ast.Call) -> None:
    """The iterator arguments of ``next(rows)``, ``list(rows)``, ``zip(a, b)``, ``max(rows)``
    (as written: the builtin's name) through :func:`_iterated`."""
    func = node.func
    if not isinstance(func, ast.Name):
        return
    which = _ADVANCING.get(func.id)
    if which is None and func.id in ("min", "max") and len(node.args) == 1:
        which = slice(0, 1)
    if which is None:
        return
    node.args[which] = [a if isinstance(a, ast.Starred) else _iterated(a)
                        for a in node.args[which]]


# builtins whose calls in a generator expression's items are no external's
_PLAIN_CALLEES = frozenset({
    "abs", "len", "int", "float", "str", "bool", "repr", "round", "min", "max", "sum", "sorted",
    "list", "tuple", "set", "dict", "frozenset", "range", "enumerate", "zip", "isinstance",
    "ord", "chr", "divmod", "hash", "type", "reversed", "any", "all", "format", "getattr",
    "hasattr",
})


def _makes_calls(node: ast.GeneratorExp) -> bool:
    """Whether a generator expression's items make calls other than of common builtins (its
    outermost iterable is evaluated where it is written, not as it runs)."""
    first = node.generators[0]
    parts: list[ast.AST] = [node.elt, *first.ifs, *node.generators[1:]]
    return any(isinstance(n, ast.Call) and not (isinstance(n.func, ast.Name)
                                                and n.func.id in _PLAIN_CALLEES)
               for part in parts for n in traversal.nodes(part))


def _number(node: ast.expr) -> bool:
    """A number written in the source (``2``, ``-1.5``): its ``%`` is arithmetic."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float, complex)


def _repeatable(node: ast.expr) -> bool:
    """An operand that may be evaluated twice with nothing observable: a name, a constant, or
    a tuple of those (``(i, j) in memo``)."""
    if isinstance(node, (ast.Name, ast.Constant)):
        return True
    return isinstance(node, ast.Tuple) and all(_repeatable(e) for e in node.elts)


def _literal_of_atoms(node: ast.expr) -> bool:
    """``"aeiou"``, ``("yes", "no")``, ``{1, 2}``: a container written in the source whose items
    are constants, so nothing in it can be pending."""
    if isinstance(node, ast.Constant):
        return True
    return isinstance(node, (ast.Tuple, ast.List, ast.Set)) \
        and all(isinstance(e, ast.Constant) for e in node.elts)


def _membership(node: ast.Compare, counters: frozenset[str]) -> ast.expr:
    """``a in b`` becomes ``__opportune_in__(a, b, negate)`` (runtime/hooks.contains), which
    answers a pending value while ``a``, ``b`` or an item of a list ``b`` is pending: the
    interpreter makes any ``__contains__`` answer a real bool, so the operator itself cannot.

    Where both operands can be evaluated twice, the test is made inline first, so ``k in d``
    in a loop stays the interpreter's own ``in`` after two type checks::

        k in d  ->  (k in d if type(k) is not Pending and (type(d) in IN_PLAIN or not LIVE)
                     else __opportune_in__(k, d, False))

    ``IN_PLAIN`` holds the containers nothing pending can hide in where ``in`` looks (``str``,
    ``bytes``, ``dict``, ``set``, ``frozenset``, ``range``); a list or tuple (or anything else)
    is searched inline only while no value is being computed anywhere (``LIVE``,
    runtime/context.py), else the hook searches it for pending items. Operands are
    tested in Python's evaluation order, left first; a constant, a tuple display or a loop
    counter of ``counters`` (``for i in range(...)``, an int) on the left needs no test."""
    left, right = node.left, node.comparators[0]
    negate = isinstance(node.ops[0], ast.NotIn)
    hook = ast.Call(ast.Name(IN, ast.Load()), [left, right, ast.Constant(negate)], [])
    if not _repeatable(left) or not (_repeatable(right) or _literal_of_atoms(right)):
        return hook
    tests: list[ast.expr] = []
    if isinstance(left, ast.Name) and left.id not in counters:
        tests.append(ast.Compare(
            ast.Call(ast.Name(callsites.TYPE, ast.Load()), [traversal.copy_tree(left)], []),
            [ast.IsNot()], [ast.Name(PENDING, ast.Load())]))
    if not _literal_of_atoms(right):
        # ``or not LIVE``: a list or tuple holds nothing unfinished while nothing is computed
        tests.append(ast.BoolOp(ast.Or(), [ast.Compare(
            ast.Call(ast.Name(callsites.TYPE, ast.Load()), [traversal.copy_tree(right)], []),
            [ast.In()], [ast.Name(IN_PLAIN, ast.Load())]),
            ast.UnaryOp(ast.Not(), ast.Name(LIVE, ast.Load()))]))
    plain = ast.Compare(traversal.copy_tree(left), [node.ops[0]], [traversal.copy_tree(right)])
    if not tests:
        return plain
    test = tests[0] if len(tests) == 1 else ast.BoolOp(ast.And(), tests)
    return ast.IfExp(test, plain, hook)


def _names_owner(target: ast.expr) -> bool:
    """Whether the store guard is handed the object ``target`` stores into (see ``_guard``)."""
    return isinstance(target, (ast.Attribute, ast.Subscript)) and isinstance(target.value, ast.Name)


# a program module's tracked names, its names that are never pending and its tracked dicts
# arms may fill with containers (see _Rewriter, arm_objects.module_objects)
ModuleObjects = tuple[frozenset[str], frozenset[str], frozenset[str]] | None


class _Rewriter(Transformer):
    def __init__(self, explicit_super: bool, filename: str,
                 staging: stages.Stages | None = None, stage: stages.Stage | None = None,
                 module_objects: ModuleObjects = None,
                 module_imports: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self._filename = filename
        # a stage numbers its helper names from its own place (compiler/stages.py)
        self._counter = itertools.count(stage.numbers_from if stage is not None else 0)
        self._explicit_super = explicit_super
        self._first_params: list[str | None] = []
        self._in_class: list[bool] = [False]
        # deferrable statements around the one being rewritten; a stage cut off inside the arm
        # of one starts at that depth, but runs as module code (see _forgets)
        self._base_depth = stage.depth if stage is not None else 0
        self._deferred_depth = self._base_depth
        self._tries: list[int] = [0]  # ``try`` statements around it, per function
        # names the module's functions and lambdas load (see changes.tell_module_stores)
        self.function_reads: set[str] = set()
        # whether module-level code binds a name with ``:=`` (or may, through exec or eval)
        self.module_walrus = False
        self._staging = staging  # where module-level code may be cut into stages
        # per enclosing function: its locals bound only as ``for i in range(...)`` (ints)
        self._range_counters: list[frozenset[str]] = []
        # per enclosing function: the names whose objects deferred arms may change
        # (compiler/arm_objects.py)
        self._objects: list[frozenset[str]] = []
        self._plain: list[frozenset[str]] = []  # its names that are never pending
        self._nested: list[frozenset[str]] = []  # its dicts arms may fill with containers
        self._loops = 0  # ``for``/``while`` loops around the statement being compiled
        # the program module's own names that deferred arms may change, and its names that are
        # never pending (arm_objects.module_tracked_names; a stage's come from its group)
        self.module_objects = staging.arm_objects if staging is not None else module_objects
        # names the module binds only by ``import``: an ``except`` clause naming an attribute
        # of one may be read ahead (compiler/tries.py); set by visit_Module
        self.module_imports = module_imports
        self.marks_objects = bool(self.module_objects and self.module_objects[0])

    # -- functions: remember the first parameter for explicit super() -------------------------

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        self._in_class.append(True)
        try:
            self.generic_visit(node)
            return node
        finally:
            self._in_class.pop()

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        in_class_body = self._in_class[-1]
        params = node.args.posonlyargs + node.args.args
        self._first_params.append(params[0].arg if params else None)
        self._range_counters.append(_range_counters(node))
        self._in_class.append(False)
        self._tries.append(0)
        ending = isinstance(node, ast.FunctionDef) and _own_yields(node)
        objects = self._tries_as_branches(node) if isinstance(node, ast.FunctionDef) \
            else frozenset()
        if arm_objects.mark_reads(node, objects):  # type: ignore[arg-type]
            self.marks_objects = True
        self._objects.append(objects)
        self._plain.append(getattr(node, arm_objects.PLAIN, frozenset()))
        self._nested.append(getattr(node, arm_objects.NESTED, frozenset()))
        try:
            if isinstance(node, ast.FunctionDef):
                every = traversal.nodes(node)
                facts = analyse(node, every)
                if len(self._first_params) == 1:  # not nested in another function
                    self._note_reads(every)
                if facts is not None:
                    note_pure_function(self._filename, node.lineno, node.name, facts)
                elif in_class_body:
                    facts = method_facts(node, every)
                    if facts is not None:  # numbered as its code is: from its decorators
                        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                        note_instance_method(self._filename, first, node.name, facts)
            if isinstance(node, ast.AsyncFunctionDef):
                # Async code already has its own concurrency; its calls run as written. Only
                # decorators and defaults (evaluated outside the coroutine) are rewritten.
                node.decorator_list = [self.visit(d) for d in node.decorator_list]
                return node
            maybe_unbound = branches.branch_assigned(node)
            self.generic_visit(node)
            if len(self._in_class) > 1 and self._in_class[-2]:
                _settle_cached_properties(node)
            if maybe_unbound:
                branches.guard_returns(node, maybe_unbound)
            if node.name in CONCRETE_DUNDERS:
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Return) and sub.value is not None:
                        sub.value = ast.Call(ast.Name(CONCRETE, ast.Load()), [sub.value], [])
            if ending:
                _ending_generator(node)  # type: ignore[arg-type]
            return node
        finally:
            self._first_params.pop()
            self._range_counters.pop()
            self._in_class.pop()
            self._tries.pop()
            self._objects.pop()
            self._plain.pop()
            self._nested.pop()

    def _tries_as_branches(self, node: ast.FunctionDef) -> frozenset[str]:
        """Turn the function's qualifying ``try`` statements into branches on their call's
        outcome (compiler/tries.py), keeping only those whose branch will be deferred or
        if-converted (judged as visit_If judges it); returns the function's tracked names
        (arm_objects.tracked_names), which depend on what was kept."""
        self._continues_as_branches(node)
        rewritten = tries.desugar(node, self._counter, self.module_imports)
        while True:
            objects = arm_objects.tracked_names(node)
            if not rewritten:
                return objects
            # how the arms read the tracked names decides whether they move (marked again
            # by _visit_function for what is kept)
            setattr(node, arm_objects.TRACKED, objects)
            arm_objects.mark_reads(node, objects)
            nested = getattr(node, arm_objects.NESTED, frozenset()) if objects else frozenset()
            dropped = [r for r in rewritten
                       if not self._branch_moves(r.branch, objects, nested)]
            if not dropped:
                return objects
            for r in dropped:
                tries.revert(r)
                rewritten.remove(r)

    def _continues_as_branches(self, node: ast.FunctionDef) -> None:
        """compiler/continues.py for the function ``node`` (see :func:`continues_as_branches`)."""
        continues_as_branches(node, lambda: arm_objects.tracked_names(node),
                              self._range_counters[-1])

    @staticmethod
    def _branch_moves(branch: ast.If | None, objects: frozenset[str],
                      nested: frozenset[str]) -> bool:
        if branch is None:
            return True  # nothing to run on either outcome (compiler/tries.py)
        if branches.convertible_if(branch) \
                and branches.assigned_names(branch.body + branch.orelse):
            return True
        return deferral.prepare_if(branch, objects, True, nested) is not None

    def _note_reads(self, every: list[ast.AST]) -> None:
        """The names the function or lambda ``every[0]`` may load from the module's namespace:
        each name it loads, but for its own locals (see :func:`_own_locals`)."""
        local = _own_locals(every[0])  # type: ignore[arg-type]
        self.function_reads.update(n.id for n in every if type(n) is ast.Name
                                   and type(n.ctx) is ast.Load and n.id not in local)

    def _in_namespace_dict(self) -> bool:
        """Whether names bound here go into a real dict the program can look at (module level
        or a class body), not into a function's frame."""
        return self._in_class[-1] or not self._first_params

    def _forgets(self) -> bool:
        """Whether a converted or deferred statement here must remove its helper names from
        the module's namespace: module-level code, except inside a statement that is itself
        deferred, whose code becomes a function (its helper names are that function's
        locals)."""
        return self._in_namespace_dict() and not self._in_class[-1] \
            and self._deferred_depth == self._base_depth

    def visit_Module(self, node: ast.Module) -> ast.AST:
        self.module_imports = self.module_imports | tries.module_imports(node)
        objects, plain, nested = self.module_objects or (frozenset(), frozenset(), frozenset())
        self._objects.append(objects)
        self._plain.append(plain)
        self._nested.append(nested)
        stage = None
        if self._staging is not None:
            node.body, stage = self._staging.cut(node.body, self._deferred_depth)
        self.generic_visit(node)
        if stage is not None:
            node.body.append(stages.Stages.placeholder(stage))
        return node

    def _cut_arms(self, node: ast.If, depth: int) -> list[tuple[str, stages.Stage]]:
        """Cut the arms of a module-level ``if`` reached only through such arms (marked by
        ``Stages.cut``) into stages, outside any ``try`` or ``with``; ``depth``: the deferred
        statements the arms run in."""
        if self._staging is None or not getattr(node, stages.STAGEABLE, False) \
                or self._first_params or self._in_class[-1] or self._tries[-1]:
            return []
        cuts = []
        for arm in ("body", "orelse"):
            kept, stage = self._staging.cut(getattr(node, arm), depth)
            setattr(node, arm, kept)
            if stage is not None:
                cuts.append((arm, stage))
        return cuts

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        return self._visit_function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return self._visit_function(node)

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        if not self._first_params:
            self._note_reads(traversal.nodes(node))
        self._first_params.append(None)
        self._range_counters.append(frozenset())  # its parameters may shadow a counter
        try:
            self.generic_visit(node)
            return node
        finally:
            self._first_params.pop()
            self._range_counters.pop()

    def visit_NamedExpr(self, node: ast.NamedExpr) -> ast.AST:
        if not self._first_params and not self._in_class[-1]:
            self.module_walrus = True  # binds a module global: see changes.tell_module_stores
        self.generic_visit(node)
        return node

    def visit_Yield(self, node: ast.Yield) -> ast.AST:
        """A ``yield`` inside a ``try`` or ``with`` statement hands control to code outside the
        body: the calls the body issued before it settle first (the store guard's wait), so a
        failing one is met inside the body, where its handler or manager sees it, as in plain
        Python, not by the consumer after the generator went on."""
        self.generic_visit(node)
        if self._tries[-1]:
            node.value = ast.Call(ast.Name(STORE_GUARD, ast.Load()),
                                  [node.value or ast.Constant(None), ast.Constant(None)], [])
        return node

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> ast.AST:
        """A generator expression whose items make calls, kept to be resumed later, iterates
        its source through ``__opportune_genexp_source__``, which stops it once a failing
        call ended it (runtime/generators.py)."""
        ending = not getattr(node, "opp_consumed", False) and _makes_calls(node) \
            and not any(g.is_async for g in node.generators)
        self.generic_visit(node)
        if ending:
            first = node.generators[0]
            first.iter = ast.copy_location(
                ast.Call(ast.Name(GENEXP_SOURCE, ast.Load()), [first.iter], []), first.iter)
        return node

    # -- calls ------------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> ast.AST:
        any_all = not self._in_class[-1] and branches.lazy_any_all(node)
        if len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.GeneratorExp) \
                and (isinstance(node.func, ast.Name) and node.func.id in _CONSUMERS
                     or isinstance(node.func, ast.Attribute) and node.func.attr == "join"):
            node.args[0].opp_consumed = True  # type: ignore[attr-defined]
        self.generic_visit(node)
        func = node.func
        if getattr(node, tries.HOOK, False):
            return node  # a hook call compiler/tries.py made: called as it stands
        if not self._in_class[-1] and not any_all:
            _iterated_arguments(node)
        if any_all:
            # ``any(g)`` as ``__opportune_any_all__(any, g)``: the name is still looked up (a
            # program's own ``any`` is called as before), see runtime/branching.any_all
            return ast.copy_location(
                ast.Call(ast.Name(branches.ANY_ALL, ast.Load()), [func, *node.args], []), node)
        if isinstance(func, ast.Name) and func.id in FRAME_SENSITIVE:
            if func.id in ("exec", "eval") and not self._first_params \
                    and not self._in_class[-1]:
                self.module_walrus = True  # may bind module globals: changes._tell_walruses
            if (
                func.id == "super"
                and self._explicit_super
                and not node.args
                and not node.keywords
                and self._first_params
                and self._first_params[-1]
            ):
                node.args = [
                    ast.Name("__class__", ast.Load()),
                    ast.Name(self._first_params[-1], ast.Load()),
                ]
            elif func.id in _NAMESPACE_VIEWS and not node.args and not node.keywords \
                    and (func.id == "dir" or not self._in_namespace_dict()):
                # A function's locals are a copy anyway (``dir()`` is a new list everywhere):
                # the copy leaves out the compiler's helper names. A module's or a class's
                # namespace is the real dict; helper names are deleted from it after use.
                return ast.Call(ast.Name(HIDE, ast.Load()), [node], [])
            return node
        # the call's own location, so a traceback's caret line marks the call as in plain
        # Python (a location from the statement would mark the whole statement)
        hook = ast.Name(CALL, ast.Load())
        if hasattr(node, "lineno"):
            ast.copy_location(hook, node)
        return ast.copy_location(ast.Call(func=hook, args=[func, *node.args],
                                          keywords=node.keywords), node)

    # -- stores into objects: inside a try body they must not outrun a failing call ---------

    def _guard(self, value: ast.expr, targets: list[ast.expr]) -> ast.expr:
        """``__opportune_store__(value, owner)``: ``owner`` is the object stored into when the
        single target names it (``hits[0] = x``), so the store can wait for code that still
        reads it (runtime/readers.py); evaluating a name twice has no effect."""
        owner: ast.expr = ast.Constant(None)
        if len(targets) == 1 and isinstance(targets[0], (ast.Attribute, ast.Subscript)) \
                and isinstance(targets[0].value, ast.Name):
            owner = ast.Name(targets[0].value.id, ast.Load())
        elif isinstance(value, (ast.Constant, ast.Lambda)):
            # nothing to wait for in the value; the store itself still waits in a try body
            hook = ast.Call(ast.Name(STORE_GUARD, ast.Load()), [traversal.copy_tree(value), owner], [])
            return ast.IfExp(ast.Name(callsites.GUARDED, ast.Load()), hook, value)
        return ast.Call(ast.Name(STORE_GUARD, ast.Load()), [value, owner], [])

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        self.generic_visit(node)
        if any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in node.targets):
            node.value = self._guard(node.value, node.targets)
        named = len(node.targets) == 1 and _names_owner(node.targets[0])
        for target in node.targets:
            if not named:
                changes.name_owners(target)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        """``self.x: int = v`` stores as ``self.x = v`` does (without a value it stores
        nothing)."""
        self.generic_visit(node)
        if node.value is not None and isinstance(node.target, (ast.Attribute, ast.Subscript)):
            node.value = self._guard(node.value, [node.target])
            if not _names_owner(node.target):
                changes.name_owners(node.target)
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.target, (ast.Attribute, ast.Subscript)):
            node.value = self._guard(node.value, [node.target])
            changes.name_owners(node.target, augmented=True)
        return node

    # -- match: patterns inspect the subject's type, so it must be a real value ----------------

    def visit_Match(self, node: ast.Match) -> ast.AST:
        self.generic_visit(node)
        node.subject = ast.Call(ast.Name(CONCRETE, ast.Load()), [node.subject], [])
        return node

    # -- identity: ``x is None`` must look at the value, not at its stand-in ---------------------

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Is, ast.IsNot)):
            negate = isinstance(node.ops[0], ast.IsNot)
            return ast.Call(
                ast.Name(IS, ast.Load()),
                [node.left, node.comparators[0], ast.Constant(negate)],
                [],
            )
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            counters = self._range_counters[-1] if self._range_counters else frozenset()
            return ast.copy_location(_membership(node, counters), node)
        if len(node.ops) > 1 and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            # ``"b" in a in text``: each link stays Python's own ``in``, evaluated once and
            # short-circuited as written; the item it looks for is made real first, since
            # ``str.__contains__`` takes no stand-in (the container's own forces itself)
            operands = [node.left, *node.comparators]
            for i, op in enumerate(node.ops):
                if isinstance(op, (ast.In, ast.NotIn)) and not isinstance(operands[i], ast.Constant):
                    operands[i] = ast.Call(ast.Name(CONCRETE, ast.Load()), [operands[i]], [])
            node.left, node.comparators = operands[0], operands[1:]
        return node

    # -- branches on values that may be pending (see compiler/branches.py) -------------------

    def visit_If(self, node: ast.If) -> Any:
        convertible = not self._in_class[-1] and branches.convertible_if(node)
        targets = branches.assigned_names(node.body + node.orelse) if convertible else []
        reads = branches.read_names(node.body + node.orelse) if convertible else ([], [])
        nested = any(isinstance(s, ast.If) for s in node.body + node.orelse)
        objects, changing = self._arm_objects()
        changing = changing and arm_objects.may_be_pending(node.test, self._plain[-1])
        names = deferral.prepare_if(node, objects, changing, self._nested[-1]) \
            if not convertible and self._may_defer() else None
        if self._binds_in_handled_try(names):
            names = None
        deferrable = names is not None
        helpers: list[str] | None = [] if self._forgets() else None
        # if-converted arms are merged into expressions: never cut (compiler/stages.py)
        cuts = [] if convertible and targets else \
            self._cut_arms(node, self._deferred_depth + deferrable)
        self._visit_inside(node, deferrable)
        for arm, stage in cuts:
            getattr(node, arm).append(stages.Stages.placeholder(stage))
        if names is not None:
            converted = deferral.defer_if(node, names, self._counter,
                                          in_function=bool(self._first_params),
                                          explicit=self._maybe_free(names),
                                          in_try=self._tries[-1] > 0,
                                          plain_copy=self._may_repeat())
        elif convertible and targets:
            converted = branches.convert_if(node, targets, self._counter, reads,
                                            in_function=bool(self._first_params),
                                            shared=nested, helpers=helpers)
        else:
            return node
        if helpers is not None:
            converted = _forgetting(converted, helpers)
        _locate_generated(converted, node)  # --explain names the if, not what encloses it
        return converted

    def _arm_objects(self) -> tuple[frozenset[str], bool]:
        """The names of the function (or of the program module, at its top level) whose objects
        deferred arms share with the program, and whether arms here may change them and print:
        in a function or such a module, outside ``try`` and
        ``with`` (an arm's failure must surface where plain Python raises it, not in a
        handler that sees the objects half changed)."""
        objects = self._objects[-1] if self._objects else frozenset()
        # module-level code: only the program module's own tracked names (arm_objects)
        changing = not self._in_class[-1] and self._tries[-1] == 0 \
            and (bool(self._first_params) or bool(objects))
        return objects, changing

    def _maybe_free(self, names: deferral.ArmNames) -> tuple[str, ...]:
        """Names a deferred statement reads that may be free variables: only inside a
        function nested in another (see ``deferral.capture``)."""
        return deferral.read_only(names) if len(self._first_params) > 1 else ()

    def _may_defer(self) -> bool:
        """Each nested deferred statement reserves a block inside its parent's, and blocks
        shrink with depth: deeply nested ones run as written."""
        return not self._in_class[-1] and self._deferred_depth < deferral.MAX_NESTING

    def _binds_in_handled_try(self, names: deferral.ArmNames | None) -> bool:
        """A statement that binds names in a ``try`` with handlers or a ``finally``, or in a
        ``with`` body, runs as written: a handler, the ``finally`` or the code after a
        ``with`` whose manager suppressed the failure puts back the names bound after a call
        that failed (compiler/rollback.py), statement by statement, and a deferred statement
        binds its names only once it has run as a whole, after the failed call, so they would
        see none of them."""
        return names is not None and bool(names.assigned) and self._tries[-1] >= 2

    def _visit_inside(self, node: ast.stmt, deferrable: bool) -> None:
        self._deferred_depth += deferrable
        try:
            self.generic_visit(node)
        finally:
            self._deferred_depth -= deferrable

    def _may_repeat(self) -> bool:
        """Whether the statement being compiled may run many times: in a function (which may
        be called in a loop) or in a loop. Module-level code outside loops runs once."""
        return bool(self._first_params) or self._loops > 0

    def visit_While(self, node: ast.While) -> ast.AST:
        self._loops += 1
        try:
            self.generic_visit(node)
        finally:
            self._loops -= 1
        return node

    def visit_For(self, node: ast.For) -> Any:
        self._loops += 1
        try:
            return self._visit_for(node)
        finally:
            self._loops -= 1

    def _visit_for(self, node: ast.For) -> Any:
        found = deferral.prepare_loop(node, self._arm_objects()[0], self._nested[-1]) \
            if self._may_defer() else None
        if self._binds_in_handled_try(found):
            found = None
        if found is None:
            self.generic_visit(node)
            if not self._in_class[-1]:
                node.iter = _iterated(node.iter)
            return node
        k = next(self._counter)
        names = deferral.numbered(found, k)
        self._visit_inside(node, True)
        converted = deferral.defer_loop(node, names, k, in_function=bool(self._first_params),
                                        explicit=self._maybe_free(names),
                                        in_try=self._tries[-1] > 0)
        if self._forgets():
            converted = _forgetting(converted, [])
        _locate_generated(converted, node)
        return converted

    # -- nested comprehensions over calls: make the calls first (compiler/comprehensions.py) --

    def visit_ListComp(self, node: ast.ListComp) -> ast.AST:
        return self._comprehension(node)

    def visit_SetComp(self, node: ast.SetComp) -> ast.AST:
        return self._comprehension(node)

    def visit_DictComp(self, node: ast.DictComp) -> ast.AST:
        return self._comprehension(node)

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp) -> ast.AST:
        if not self._in_class[-1]:
            node = comprehensions.calls_first(node)  # type: ignore[assignment]
        self.generic_visit(node)
        if not self._in_class[-1] and isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp)):
            first = node.generators[0]
            first.iter = _iterated(first.iter)
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        original_ok = all(branches.makes_no_calls(v) for v in node.values[1:])
        self.generic_visit(node)
        if self._in_class[-1] or not original_ok:
            return node
        return branches.lazy_boolop(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return branches.lazy_not(node)
        return node

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        movable = not self._in_class[-1] and branches.ifexp_movable(node)
        pure = branches.makes_no_calls(node.body) and branches.makes_no_calls(node.orelse)
        # the arms as written, for deferring them; a call-free one is only made lazy
        original = traversal.copy_tree(node) if movable and not pure else None
        self.generic_visit(node)
        if not movable:
            return node
        return branches.lazy_ifexp(node, original)

    # -- printf-style formatting ----------------------------------------------------------------

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        """``"%s and %s" % args`` becomes ``__opportune_percent__("%s and %s", args)`` where the
        ``%`` is plainly formatting (a string on the left, or a tuple or dict display on the
        right): a pending value among the arguments is filled in first (``%*d`` wants a real
        int) and a pending tuple is spread as plain Python spreads the tuple (p426). So is a
        ``%`` whose sides are both unknown here (``FMT % answer``: a format string held in a
        name, a tool's tuple or dict on the right; p543), decided at run time by the values'
        types. A ``%`` with a number written on either side is arithmetic, left to CPython."""
        self.generic_visit(node)
        if not isinstance(node.op, ast.Mod):
            return node
        left, right = node.left, node.right
        if _number(left) or _number(right) or isinstance(right, ast.Constant):
            return node
        if isinstance(left, ast.Name) and self._range_counters \
                and left.id in self._range_counters[-1]:
            return node  # ``n % p`` with ``n`` a loop counter: arithmetic, at CPython speed
        call = ast.Call(ast.Name(PERCENT, ast.Load()), [left, right], [])
        if isinstance(left, ast.Name):
            # ``i % m`` in a loop: an int on the left is arithmetic, plain Python's ``%`` at
            # once, tested inline (a call of the hook would double the cost of a sieve's
            # inner loop); anything else (a str held in a name, a pending value) goes through
            # the hook
            test = ast.Compare(
                ast.Call(ast.Name(callsites.TYPE, ast.Load()), [ast.Name(left.id, ast.Load())], []),
                [ast.Is()], [ast.Name(callsites.builtin_name("int"), ast.Load())])
            plain = ast.BinOp(ast.Name(left.id, ast.Load()), ast.Mod(), right)
            call.args[1] = traversal.copy_tree(right) if not isinstance(right, ast.Name) else \
                ast.Name(right.id, ast.Load())
            return ast.copy_location(ast.IfExp(test, plain, call), node)
        return ast.copy_location(call, node)

    # -- f-strings ----------------------------------------------------------------------------

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        if not any(isinstance(v, ast.FormattedValue) for v in node.values):
            return node
        parts: list[ast.expr] = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(value)
                continue
            assert isinstance(value, ast.FormattedValue)
            conversion = {-1: None, 115: "s", 114: "r", 97: "a"}[value.conversion]
            spec: ast.expr = ast.Constant(None)
            if value.format_spec is not None:
                spec = self.visit(value.format_spec)
            parts.append(
                ast.Tuple(
                    [self.visit(value.value), ast.Constant(conversion), spec], ast.Load()
                )
            )
        return ast.Call(ast.Name(FSTRING, ast.Load()), parts, [])

    # -- try ------------------------------------------------------------------------------------

    def visit_With(self, node: ast.With) -> ast.AST:
        """A ``with`` body settles its calls before ``__exit__`` runs, so a context manager
        such as ``contextlib.suppress`` sees their failures exactly as in plain Python."""
        step = 0 if self._in_class[-1] else 2  # see _binds_in_handled_try
        self._tries[-1] += step
        try:
            self.generic_visit(node)
        finally:
            self._tries[-1] -= step
        mark = f"__opportune_try_{next(self._counter)}"
        managers: list[ast.expr] = []
        for item in node.items:
            # The body's entry hook is told the managers (runtime/managers.py): a ``with``
            # whose managers are all inert does not hold back changes to objects.
            held = f"__opportune_manager_{next(self._counter)}"
            item.context_expr = ast.NamedExpr(ast.Name(held, ast.Store()), item.context_expr)
            managers.append(ast.Name(held, ast.Load()))
        body, rebound, temps = node.body, [], []
        if not self._in_class[-1]:
            # a manager that suppresses the failure (contextlib.suppress) lets the program go
            # on after the ``with``: the names the body rebound after the failing call are put
            # back there, as plain Python never rebound them (compiler/rollback.py)
            body, rebound, temps = rollback.journal_body(node.body, mark, self._counter)
        inner = self._settling_try(body, mark)
        enter = ast.Assign(
            targets=[ast.Name(mark, ast.Store())],
            value=ast.Call(ast.Name(TRY_ENTER, ast.Load()), managers, []),
        )
        # The hook has judged the managers: the names must not keep them alive (or show up in
        # the namespace) after that, as plain Python holds only ``__exit__``.
        forget = ast.Delete([ast.Name(m.id, ast.Del()) for m in managers if isinstance(m, ast.Name)])
        node.body = [enter, forget, inner]
        _locate(inner, node)
        _locate(enter, node)
        _locate(forget, node)
        after = rollback.restore(mark, rebound, self._counter, rollback.RESTORE)
        for stmt in after:
            _locate(stmt, node)
        if self._in_namespace_dict():
            # the mark must not show up in the module's or the class's namespace
            drop = _forgetting([ast.Delete([ast.Name(mark, ast.Del())])],
                               temps if self._forgets() else [])
            for stmt in drop:
                _locate(stmt, node)
            if after:
                # the code after the ``with`` still needs it
                outer = ast.Try([node, *after], [], [], drop)
                _locate(outer, node)
                return outer
            inner.finalbody = [ast.Try(inner.finalbody, [], [], drop)]
            ast.copy_location(inner.finalbody[0], inner.finalbody[0].body[0])
        return [node, *after] if after else node  # type: ignore[return-value]

    def _settling_try(self, body: list[ast.stmt], mark: str) -> ast.Try:
        escaping = f"__opportune_escaping_{next(self._counter)}"
        return ast.Try(
            body=body,
            handlers=[
                ast.ExceptHandler(
                    type=ast.Name(ESCAPING, ast.Load()),
                    name=escaping,
                    body=[
                        ast.Expr(
                            ast.Call(
                                ast.Name(UNESCAPE, ast.Load()),
                                [ast.Name(escaping, ast.Load()), ast.Name(mark, ast.Load())],
                                [],
                            )
                        )
                    ],
                )
            ],
            orelse=[],
            finalbody=[
                ast.Expr(
                    ast.Call(ast.Name(TRY_EXIT, ast.Load()), [ast.Name(mark, ast.Load())], [])
                )
            ],
        )

    def visit_TryStar(self, node: ast.TryStar) -> ast.AST:
        """A ``try`` with ``except*`` handlers: settled as a plain ``try`` (p349)."""
        return self.visit_Try(node)  # type: ignore[arg-type]

    def visit_Try(self, node: ast.Try) -> ast.AST:
        if getattr(node, tries.OUTCOME, False):
            # made by compiler/tries.py, settled by its outcome hook: only its parts change
            self.generic_visit(node)
            return node
        if node.handlers and node.finalbody:
            # ``try: B except: H else: E finally: F`` is ``try: (try: B except: H else: E)
            # finally: F``: so the calls of the handlers and of ``else`` settle, and their
            # failure is met, before ``F`` runs, and ``F`` sees the names put back
            kind = ast.TryStar if isinstance(node, ast.TryStar) else ast.Try
            inner = kind(node.body, node.handlers, node.orelse, [])
            ast.copy_location(inner, node)
            inner.opp_split = True  # type: ignore[attr-defined]
            # the outer part has no handlers: a plain ``try``/``finally`` even for ``except*``
            node = ast.copy_location(ast.Try([inner], [], [], node.finalbody), node)
        # a try with handlers or a finally: count 2, see _binds_in_handled_try
        step = 1 if self._in_class[-1] else 2
        self._tries[-1] += step
        try:
            self.generic_visit(node)
        finally:
            self._tries[-1] -= step
        mark = f"__opportune_try_{next(self._counter)}"
        body, rebound, temps = node.body, [], []
        after: list[ast.stmt] = []
        if not self._in_class[-1]:
            body, rebound, temps = rollback.journal_body(node.body, mark, self._counter)
            for h in node.handlers:
                h.body = [*rollback.restore(mark, rebound, self._counter), *h.body]
            if node.finalbody:
                # a failure no handler caught: the ``finally`` sees the names as plain Python
                # left them at the failing call, and so does whoever catches it next
                after = rollback.restore(mark, rebound, self._counter, rollback.RESTORE)
        inner = self._settling_try(body, mark)
        handlers = node.handlers
        if handlers:
            handlers = [
                ast.ExceptHandler(
                    type=ast.Name(ESCAPING, ast.Load()), name=None, body=[ast.Raise()]
                ),
                *handlers,
            ]
        finalbody = [*after, *node.finalbody] if after else node.finalbody
        forget: list[ast.stmt] = []
        if self._in_namespace_dict():
            # the mark must not show up in the module's or the class's namespace; the
            # handlers have used it by now
            forget = _forgetting([ast.Delete([ast.Name(mark, ast.Del())])],
                                 temps if self._forgets() else [])
            finalbody = [*after, *forget, *node.finalbody]
        if node.finalbody:
            # a failure of a call made before the ``try`` (met in its body, escaping it):
            # plain Python never entered the statement, so its ``finally`` does not run
            finalbody = [ast.If(ast.Call(ast.Name(ENTERED, ast.Load()),
                                         [ast.Name(mark, ast.Load())], []),
                                finalbody, [traversal.copy_tree(f) for f in forget])]
        if isinstance(node, ast.TryStar):
            # ``except*`` handlers cannot sit beside a plain ``except``: the escaping failure
            # (a BaseException) passes them unmatched and leaves as it came, not as a group
            outer: ast.Try | ast.TryStar = ast.TryStar(
                body=[inner], handlers=node.handlers, orelse=node.orelse, finalbody=finalbody)
        else:
            outer = ast.Try(body=[inner], handlers=handlers, orelse=node.orelse,
                            finalbody=finalbody)
        enter = ast.Assign(
            targets=[ast.Name(mark, ast.Store())],
            value=ast.Call(ast.Name(TRY_ENTER, ast.Load()), [], []),
        )
        if getattr(node, "opp_split", False):
            # entered right after the enclosing ``try``/``finally``, so at run time both have
            # the same mark and share a journal: that body need not journal this one again
            outer.opp_journaled = rebound  # type: ignore[attr-defined]
        _locate(inner, node)
        _locate(outer, node)
        _locate(enter, node)
        return [enter, outer]  # type: ignore[return-value]


def _forgetting(stmts: list[ast.stmt], helpers: list[str]) -> list[ast.stmt]:
    """``stmts`` followed by the removal of the helper names they bind from the module's
    namespace (``globals()``, so it works inside the functions of deferred module code too),
    so that the program never sees them there: ``helpers``, and those the statements bind at
    their top level (a deferred statement's input)."""
    bound = list(helpers)
    for stmt in stmts:
        if isinstance(stmt, ast.Assign):
            bound += [t.id for t in stmt.targets
                      if isinstance(t, ast.Name) and t.id.startswith(HELPER_PREFIX)]
    if not bound:
        return stmts
    forget = ast.Expr(ast.Call(ast.Name(FORGET, ast.Load()), [
        ast.Call(ast.Name("globals", ast.Load()), [], []),
        ast.Constant(tuple(dict.fromkeys(bound)))], []))
    return [*stmts, forget]


def _locate_generated(stmts: list[ast.stmt], original: ast.stmt) -> None:
    """Give the nodes generated for ``original`` its location. A node that has one already
    came from the source (or from a nested statement, located when it was rewritten): its
    subtree is left to ``fix_missing_locations``, which keeps the rewrite linear in depth."""
    stack: list[ast.AST] = list(stmts)
    pop, push = stack.pop, stack.append
    line, col = original.lineno, original.col_offset
    end_line, end_col = original.end_lineno, original.end_col_offset
    fields_of = traversal.child_fields
    located = ast.AST
    while stack:
        n = pop()
        if "lineno" in n._attributes:
            if hasattr(n, "lineno"):
                continue
            n.lineno, n.col_offset = line, col  # type: ignore[attr-defined]
            n.end_lineno, n.end_col_offset = end_line, end_col  # type: ignore[attr-defined]
        # traversal.children(n), inlined: this walk meets every generated node
        for field in fields_of(type(n)):
            value = getattr(n, field, None)
            if type(value) is list:
                for v in value:
                    if isinstance(v, located):
                        push(v)
            elif isinstance(value, located):
                push(value)


def _is_try_exit(stmt: ast.stmt) -> bool:
    """Whether ``stmt`` is the settling call a rewritten ``try`` or ``with`` ends its body with
    (a ``finally`` of the program's own may end with any expression statement)."""
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
        and isinstance(stmt.value.func, ast.Name) and stmt.value.func.id == TRY_EXIT


def _locate(new: ast.AST, original: ast.stmt) -> None:
    """Give generated nodes the original statement's line, and the settling call at the end of
    a body the body's last line: ``--explain`` then names the line where the program waited."""
    settling = isinstance(new, ast.Try) and new.finalbody and not new.handlers[1:] \
        and _is_try_exit(new.finalbody[-1])
    body = getattr(original, "body", None) or [original]
    last = body[-1]
    # Only what was generated: the program's own statements inside keep their lines, and the
    # nodes rewritten inside them get those lines from fix_missing_locations (a call in a try
    # body or handler must report its own line to tracebacks, logging and warnings).
    _locate_generated([new], original)
    if settling:
        for n in traversal.nodes(new.finalbody[-1]):
            n.lineno = n.end_lineno = getattr(last, "end_lineno", None) or last.lineno
            n.col_offset, n.end_col_offset = 0, 0


def passes(
    *, explicit_super: bool = False, filename: str = "<unknown>",
    staging: stages.Stages | None = None, stage: stages.Stage | None = None,
    module_objects: ModuleObjects = None, module_imports: frozenset[str] = frozenset(),
) -> list[tuple[str, Callable[[ast.Module], ast.Module]]]:
    """The passes :func:`transform` applies, in order, by name: one list, so that
    ``benchmarks/compile_cost.py`` times exactly what compiling a program runs. ``staging``:
    cut module-level code into stages there (compiler/stages.py); ``stage``: the tree is the
    body of that stage. ``module_objects``: the tree is the program's own module, whose
    reads of these names :func:`arm_objects.module_tracked_names` marked (a stage's come from
    ``staging``). ``module_imports``: names known to hold modules where the tree is a function
    compiled on its own (compiler/tries.py)."""
    def rewrite(tree: ast.Module) -> ast.Module:
        rewriter = _Rewriter(explicit_super, filename, staging, stage, module_objects,
                             module_imports)
        new = rewriter.visit(tree)
        assert isinstance(new, ast.Module)
        if staging is not None:  # functions in other stages read the same module namespace
            rewriter.function_reads |= staging.function_reads
        new._opportune_function_reads = rewriter.function_reads  # type: ignore[attr-defined]
        new._opportune_module_walrus = rewriter.module_walrus  # type: ignore[attr-defined]
        new._opportune_arm_objects = rewriter.marks_objects  # type: ignore[attr-defined]
        if rewriter.module_objects:
            new._opportune_module_objects = rewriter.module_objects[0]  # type: ignore[attr-defined]
        return new

    def locations(tree: ast.Module) -> ast.Module:
        fix_missing_locations(tree)
        return tree

    def object_changes(tree: ast.Module) -> ast.Module:
        changes.rewrite(tree)
        return tree

    def shared_objects(tree: ast.Module) -> ast.Module:
        return arm_objects.wrap(tree)

    return [("rewrite", rewrite), ("callsites", callsites.inline), ("changes", object_changes),
            ("arm objects", shared_objects), ("locations", locations)]


def transform(
    tree: ast.Module, *, explicit_super: bool = False, filename: str = "<unknown>",
    staging: stages.Stages | None = None, stage: stages.Stage | None = None,
    program: bool = False, module_imports: frozenset[str] = frozenset(),
) -> ast.Module:
    """Rewrite ``tree`` in place (see the module docstring) and return it. ``program``: the
    tree is the program's own module (the script run, or ``run_source``'s code), not a module
    it imports, whose names others read once it has run (compiler/arm_objects.py); a stage's
    group (``staging``) says it itself."""
    module_objects: ModuleObjects = None
    if program and staging is None:
        continues_as_branches(tree, lambda: arm_objects.module_tracked_names(tree))
        module_objects = program_module(tree)
    for _, apply in passes(explicit_super=explicit_super, filename=filename, staging=staging,
                           stage=stage, module_objects=module_objects,
                           module_imports=module_imports):
        tree = apply(tree)
    return tree


def continues_as_branches(node: ast.FunctionDef | ast.Module,
                          tracked: Callable[[], frozenset[str]],
                          counters: frozenset[str] = frozenset()) -> None:
    """Give the rest of a loop body to the ``if`` whose arm ends with ``continue``
    (compiler/continues.py), in the function or program module ``node``, keeping only the
    ``if`` statements that will be deferred, judged as visit_If judges them with the tracked
    names the rewrite makes (``tracked`` works them out and marks their reads; its names that
    are never pending, and the loop ``counters``, decide no condition late); the others are
    put back as written, and the rest is tried again without them."""
    dropped: set[int] = set()

    def allowed(s: ast.If) -> bool:
        return id(s) not in dropped

    try:
        while True:
            done = continues.rewrite(node, allowed)
            if not done:
                return
            objects = tracked()
            arm_objects.mark_reads(node, objects)  # type: ignore[arg-type]
            plain = getattr(node, arm_objects.PLAIN, frozenset()) | counters
            nested: frozenset[str] = getattr(node, arm_objects.NESTED, frozenset()) \
                if objects else frozenset()
            # at a module's top level arms may change objects only where it tracks some
            changing = isinstance(node, ast.FunctionDef) or bool(objects)
            losing = {id(old) for r in done for new, old in r.made
                      if not _continue_moves(new, objects, plain, nested, changing)}
            if not losing:
                return
            continues.revert(done)
            dropped |= losing
    finally:
        # names tracked only in a rewrite put back must not stay tracked: the passes after
        # this one mark those of what is kept (_visit_function, arm_objects.module_objects)
        for attr in (arm_objects.TRACKED, arm_objects.NESTED):
            if hasattr(node, attr):
                delattr(node, attr)


def _continue_moves(branch: ast.If, objects: frozenset[str], plain: frozenset[str],
                    nested: frozenset[str], changing: bool) -> bool:
    """Whether visit_If will defer ``branch``: its condition may be pending (an ``if`` on a
    loop counter is decided at once, and keeps its inline code), its arms are not
    if-converted, and they may run later."""
    if not arm_objects.may_be_pending(branch.test, plain) or branches.convertible_if(branch):
        return False
    return deferral.prepare_if(branch, objects, changing, nested) is not None


def program_module(tree: ast.Module) -> ModuleObjects:
    """Prepare the program's own module: turn its top-level ``try`` statements that qualify
    into branches on their call's outcome (compiler/tries.py), keeping only those whose
    branch will be deferred or if-converted, judged with the module's tracked names as
    ``visit_If`` judges it at module level; returns :func:`arm_objects.module_objects`,
    which depend on what was kept. Called once on the whole module, before it may be cut
    into stages."""
    rewritten = tries.desugar_module(tree, (f"m{k}" for k in itertools.count()),
                                     tries.module_imports(tree))
    while True:
        objects = arm_objects.module_objects(tree)
        if not rewritten:
            return objects
        names, _, nested = objects or (frozenset(), frozenset(), frozenset())
        dropped = [r for r in rewritten
                   if not _module_branch_moves(r.branch, names, nested)]
        if not dropped:
            break
        for r in dropped:
            tries.revert(r)
            rewritten.remove(r)
    for r in rewritten:
        tries.forget_helpers(r)
    return objects


def _module_branch_moves(branch: ast.If | None, objects: frozenset[str],
                         nested: frozenset[str]) -> bool:
    """``_Rewriter._branch_moves`` at module level: an arm changes the module's objects only
    where the module tracks some (``_Rewriter._arm_objects``)."""
    if branch is None:
        return True
    if branches.convertible_if(branch) and branches.assigned_names(branch.body + branch.orelse):
        return True
    return deferral.prepare_if(branch, objects, bool(objects), nested) is not None


def _settle_cached_properties(node: ast.FunctionDef) -> None:
    """A method decorated ``@cached_property`` or ``@functools.cached_property`` (by that name,
    read where the class is defined) gets ``@__opportune_cached_property__(decorator)``: the
    property stores what the method returns, and inside a ``try`` body that value must be known
    to have succeeded first (runtime/caches.cached_property)."""
    for i, d in enumerate(node.decorator_list):
        name = d.id if isinstance(d, ast.Name) else d.attr if isinstance(d, ast.Attribute) \
            else None
        if name == "cached_property":
            node.decorator_list[i] = ast.copy_location(
                ast.Call(ast.Name(CACHED_PROPERTY, ast.Load()), [d], []), d)
