"""Call sites that check, inline, whether the hook has anything to do.

``__opportune_call__(text.append, x)`` costs a Python-level call with ``*args`` packing, a
thread-local lookup and a chain of type tests, about half a microsecond, for every
``.append()``, ``.upper()`` and f-string in a loop that never sees a pending value. For the
methods of built-in types that the hook itself calls directly when their arguments are plain
atoms (``str``, ``int``, ``None``...), this pass emits the test at the call site instead::

    text.append(x)     ->  (text.append(x) if type(text) is list and type(x) in ATOMS
                            else __opportune_call__(text.append, x))

The decision is still taken at run time on the actual receiver (a pending value, a ``str``
subclass or a user object with an ``append`` method takes the hook, exactly as before), and the
direct branch does exactly what the hook would have done. Only the hook's cost goes.

Evaluation order stays Python's: the receiver, then the method lookup, then the arguments.
Operands that are not plain names or constants are evaluated once into ``__opp_i<N>``
temporaries (``:=``), so this form is used only where such a binding is local to a function
and allowed by Python (not in a class body, not at module level, not in a comprehension's
iterable, not in an annotation). A temporary holds only an atom after the direct branch and is
cleared on the way into the hook, so no object is kept alive longer than plain Python keeps
it. F-strings whose values turn out to be atoms are formatted inline the same way.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable
from typing import Any

from opportune.compiler import registry, traversal
from opportune.compiler.traversal import Transformer

TYPE = "__opportune_type__"
ATOMS = "__opportune_atoms__"
CALL = "__opportune_call__"
FSTRING = "__opportune_fstring__"
STORE = "__opportune_store__"
GUARDED = "__opportune_guarded__"  # runtime/context.GUARDED: a try body or a concurrent reader
TEMP_PREFIX = "__opp_i"

# Built-in types whose values are atoms: no pending value can hide inside them.
ATOM_TYPES = (str, int, float, bool, bytes, type(None), complex)
# Types whose methods are all pure: the hook calls them directly when the arguments are atoms.
_VALUE_TYPES = (str, bytes, int, float, complex, bool, tuple, frozenset)
# Container methods the hook calls directly when the arguments are atoms (``dispatch.PLAIN``).
_CONTAINER_METHODS: dict[type, frozenset[str]] = {
    list: frozenset({"append", "insert", "extend", "copy", "pop", "clear", "reverse"}),
    dict: frozenset({"get", "keys", "values", "items", "copy", "pop", "popitem", "setdefault",
                     "update", "clear"}),
    set: frozenset(n for n in dir(set) if not n.startswith("_")),
}
# Of those, the ones that change their receiver: their direct branch is taken only while no
# ``try``/``with`` body is open and no concurrent code reads the program's objects
# (``__opportune_guarded__``), since the hook must then see the change (Runtime.settle_for_effect,
# runtime/readers.py).
MUTATING_METHODS = frozenset({
    "append", "insert", "extend", "pop", "clear", "reverse", "popitem", "setdefault", "update",
    "add", "discard", "remove", "difference_update", "intersection_update",
    "symmetric_difference_update",
})
_PRIORITY = (str, list, dict, set, bytes, int, float, tuple, frozenset, complex)
# A receiver held in a temporary must be an atom, so that holding it changes nothing.
_ATOM_RECEIVERS = (str, bytes, int, float, complex)


def type_name(t: type) -> str:
    return f"__opportune_t_{t.__name__}__"


def _direct_types(name: str, receivers: tuple[type, ...]) -> tuple[type, ...]:
    found = []
    for t in _PRIORITY:
        if t not in receivers:
            continue
        if t in _VALUE_TYPES:
            ok = not name.startswith("_") and callable(getattr(t, name, None))
        else:
            ok = name in _CONTAINER_METHODS[t]
        if ok and not (t is bytes and str in found):  # bytes receivers take the hook
            found.append(t)
    return tuple(found[:2])


_BY_NAME: dict[str, tuple[type, ...]] = {}
_BY_NAME_ATOM: dict[str, tuple[type, ...]] = {}
for _t in _PRIORITY:
    for _n in dir(_t):
        if _n not in _BY_NAME:
            _BY_NAME[_n] = _direct_types(_n, _PRIORITY)
            _BY_NAME_ATOM[_n] = _direct_types(_n, _ATOM_RECEIVERS)

# Every built-in type the generated code names, installed by runtime/hooks.py.
NAMED_TYPES = _PRIORITY

# Builtins by how the hook treats them (runtime/dispatch.py): called at once whatever the
# arguments (PLAIN), called at once when no argument is pending or an iterator (SHALLOW), or
# when every argument is an atom (LAZY). Installed as ``__opportune_b_<name>__``.
# ``map`` and ``filter`` are not among them: they call the function they are given, which the
# hook may have to route through a call site (dispatch._route_callables).
# ``next`` is not among them: a call's pending result (a generator external's) has no
# ``__next__``, so next() goes through the hook, which hands it the iterator.
PLAIN_BUILTINS = frozenset({"iter", "enumerate", "zip", "reversed", "any", "all"})
SHALLOW_BUILTINS = frozenset({"len", "isinstance", "issubclass", "type", "callable", "getattr",
                              "hasattr", "range", "slice", "list", "tuple", "dict", "set",
                              "frozenset"})
LAZY_BUILTINS = frozenset({"abs", "ascii", "bin", "chr", "divmod", "format", "hex", "max",
                           "min", "oct", "ord", "pow", "repr", "round", "sorted", "sum", "str",
                           "int", "float", "bool", "complex", "bytes", "hash"})
NOT_SHALLOW = "__opportune_not_shallow__"  # Pending and the iterator types, see dispatch.py
BIND = "__opportune_bind__"  # f -> a callable that calls f through the hook


def builtin_name(name: str) -> str:
    return f"__opportune_b_{name}__"


def _load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def _type_is(value: ast.expr, types: tuple[type, ...]) -> ast.expr:
    tests: list[ast.expr] = [
        ast.Compare(ast.Call(_load(TYPE), [value if i == 0 else _copy_name(value)], []),
                    [ast.Is()], [_load(type_name(t))])
        for i, t in enumerate(types)
    ]
    return tests[0] if len(tests) == 1 else ast.BoolOp(ast.Or(), tests)


def _copy_name(value: ast.expr) -> ast.expr:
    if isinstance(value, ast.NamedExpr):
        return _load(value.target.id)
    assert isinstance(value, ast.Name)
    return _load(value.id)


def _is_atom(value: ast.expr) -> ast.expr:
    return ast.Compare(ast.Call(_load(TYPE), [value], []), [ast.In()], [_load(ATOMS)])


def _is_shallow_ok(value: ast.expr) -> ast.expr:
    return ast.Compare(ast.Call(_load(TYPE), [value], []), [ast.NotIn()], [_load(NOT_SHALLOW)])


def _released(name: str) -> ast.expr:
    """``(t, t := None)[0]``: the temporary's value, with the temporary cleared."""
    return ast.Subscript(
        ast.Tuple([_load(name), ast.NamedExpr(ast.Name(name, ast.Store()), ast.Constant(None))],
                  ast.Load()),
        ast.Constant(0), ast.Load())


def _all(tests: list[ast.expr]) -> ast.expr:
    """Every test evaluated, in order (``&`` of bools): operands with ``:=`` must all run."""
    result = tests[0]
    for t in tests[1:]:
        result = ast.BinOp(result, ast.BitAnd(), t)
    return result


def _constant_atom(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in ATOM_TYPES


def _fresh_empty(node: ast.expr) -> bool:
    """``[]``, ``{}``, ``()``: a new, empty container, with nothing pending inside."""
    return isinstance(node, (ast.List, ast.Tuple)) and not node.elts or \
        isinstance(node, ast.Dict) and not node.keys


def _is_hook(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
        and node.func.id == name


class _Context:
    """Where the code being rewritten runs.

    ``plain`` and ``types`` take a walk of the function's body each; most scopes (the lambdas
    of lazy ``and``/``or``, the arms of deferred statements) have no call site that asks, so
    they are found on first use. A call site of the scope asks before any other of its call
    sites is rewritten, so the answer is the one the body as written gives (rewrites of
    nested scopes only add the call sites' own temporaries)."""

    __slots__ = ("_plain", "_resolve", "_types", "handed", "in_iter", "names", "walrus")

    def __init__(self, walrus: bool, names: bool, in_iter: bool = False,
                 plain: frozenset[str] = frozenset(),
                 types: dict[str, type] | None = None,
                 resolve: Callable[[], tuple[frozenset[str], dict[str, type]]] | None = None,
                 handed: frozenset[str] = frozenset()) -> None:
        self.walrus = walrus and not in_iter  # ``:=`` binds a local of a function here
        self.names = names  # reading a name twice is free of effects (not a class body)
        self.in_iter = in_iter  # inside a comprehension's iterable, where ``:=`` is refused
        # Local names that nothing but an assignment statement of this scope can rebind.
        self._plain = plain
        # Plain locals every binding of which gives a new container of one type.
        self._types = types or {}
        self._resolve = resolve
        # Parameters of a deferred loop's function: the names it reads, handed over as they
        # were where the loop stands. ``len`` there is a local holding the builtin as a rule,
        # and the loop runs there whenever its input is known, so its calls are tested as the
        # enclosing code's are. (The arms of an ``if`` run there only when deferred: the
        # ``if`` as written runs otherwise, compiler/deferral.py, so they are left alone.)
        self.handed = handed

    def _resolved(self) -> None:
        if self._resolve is not None:
            self._plain, self._types = self._resolve()
            self._resolve = None

    @property
    def plain(self) -> frozenset[str]:
        self._resolved()
        return self._plain

    @property
    def types(self) -> dict[str, type]:
        self._resolved()
        return self._types

    def outer(self) -> _Context:
        return _Context(self.walrus, self.names, self.in_iter, resolve=self._both)

    def _both(self) -> tuple[frozenset[str], dict[str, type]]:
        return self.plain, self.types


def _plain_locals(node: ast.FunctionDef | ast.Lambda) -> frozenset[str]:
    """Parameters and names bound in the function's own body, minus any that a call could
    rebind: declared ``global`` or ``nonlocal`` anywhere inside, or bound by ``:=`` anywhere
    inside (a comprehension's ``:=`` binds in the function, a generator may run it later)."""
    args = node.args
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg,
                             args.kwarg) if a is not None}
    body = node.body if isinstance(node.body, list) else [node.body]
    # a nested function, class, lambda or comprehension is a scope of its own: not entered
    for n in traversal.nodes_within(body, _SCOPES):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            names.add(n.id)
    return frozenset(names - _rebound_inside(node))


def _rebound_inside(node: ast.AST) -> frozenset[str]:
    """Names declared ``global``/``nonlocal`` or bound by ``:=`` anywhere inside ``node``,
    kept on each function node, so nested functions are walked once, not once per level."""
    known = getattr(node, "_opp_rebound", None)
    if known is not None:
        return known
    out: set[str] = set()
    # a nested function is not entered: its own answer (kept on it) is taken instead
    for n in traversal.nodes_within(traversal.children(node), _FUNCTIONS):
        if isinstance(n, (ast.Global, ast.Nonlocal)):
            out.update(n.names)
        elif isinstance(n, ast.NamedExpr):
            out.add(n.target.id)
        elif isinstance(n, _FUNCTIONS):
            out |= _rebound_inside(n)
    result = frozenset(out)
    node._opp_rebound = result  # type: ignore[attr-defined]
    return result


_DISPLAYS: dict[type, type] = {ast.List: list, ast.ListComp: list, ast.Dict: dict,
                               ast.DictComp: dict, ast.Set: set, ast.SetComp: set}


def _other_bindings(n: ast.AST) -> list[str]:
    """Names bound other than through a ``Name`` node."""
    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [n.name]
    if isinstance(n, ast.ExceptHandler) and n.name:
        return [n.name]
    if isinstance(n, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in n.names]
    if isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name:
        return [n.name]
    if isinstance(n, ast.MatchMapping) and n.rest:
        return [n.rest]
    return []


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_BINDERS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.Import,
            ast.ImportFrom, ast.MatchAs, ast.MatchStar, ast.MatchMapping)
_STORES = (ast.Store, ast.Del)


def _function_facts(node: ast.FunctionDef) -> tuple[frozenset[str], dict[str, type]]:
    """The plain locals of a function (:func:`_plain_locals`) and, among them, those that are
    only ever bound by assigning a list, dict or set display (``results = []``: whenever such
    a name has a value, it is a container of that exact type), from one walk of the body."""
    args = node.args
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg,
                              args.kwarg) if a is not None}
    names = set(params)
    stores: dict[str, int] = {}
    typed: dict[str, list[type | None]] = {}
    # nested scopes (_SCOPES) are met (they bind their name here) but not entered
    for n in traversal.nodes_within(node.body, _SCOPES):
        if isinstance(n, ast.Name):
            if isinstance(n.ctx, _STORES):
                names.add(n.id)
                stores[n.id] = stores.get(n.id, 0) + 1
            continue
        if isinstance(n, _BINDERS):
            for other in _other_bindings(n):  # bound by a statement: never a display
                stores[other] = stores.get(other, 0) + 1
                typed.setdefault(other, []).append(None)
        elif isinstance(n, ast.Assign):
            for t in n.targets:
                if isinstance(t, ast.Name):
                    typed.setdefault(t.id, []).append(_DISPLAYS.get(type(n.value)))
    plain = frozenset(names - _rebound_inside(node))
    out: dict[str, type] = {}
    for name, kinds in typed.items():
        if name in plain and name not in params and len(kinds) == stores.get(name) \
                and len(set(kinds)) == 1 and kinds[0] is not None:
            out[name] = kinds[0]
    return plain, out


class _Inliner(Transformer):
    def __init__(self) -> None:
        super().__init__()
        self._counter = itertools.count()
        self._ctx = [_Context(walrus=False, names=True)]  # module level

    # -- scopes -----------------------------------------------------------------------------

    def _in(self, ctx: _Context, nodes: Any) -> Any:
        self._ctx.append(ctx)
        try:
            if isinstance(nodes, list):
                return self._visit_list(nodes)
            return self.visit(nodes) if nodes is not None else None
        finally:
            self._ctx.pop()

    def _visit_list(self, nodes: list[Any]) -> list[Any]:
        out: list[Any] = []
        for n in nodes:
            new = self.visit(n)
            if new is None:
                continue
            out.extend(new if isinstance(new, list) else [new])
        return out

    def _outer_parts(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        """Defaults and decorators run in the enclosing scope; annotations bind nothing."""
        outer = self._ctx[-1].outer()
        no_walrus = _Context(walrus=False, names=outer.names)
        args = node.args
        args.defaults = self._in(outer, args.defaults)
        args.kw_defaults = [None if d is None else self._in(outer, d) for d in args.kw_defaults]
        if not isinstance(node, ast.Lambda):
            node.decorator_list = self._in(outer, node.decorator_list)
            for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
                if a is not None and a.annotation is not None:
                    a.annotation = self._in(no_walrus, a.annotation)
            if node.returns is not None:
                node.returns = self._in(no_walrus, node.returns)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        self._outer_parts(node)

        handed = frozenset(a.arg for a in node.args.args) \
            if node.name.startswith(registry.LOOP_ARM_PREFIX) else frozenset()
        node.body = self._in(_Context(walrus=True, names=True,
                                      resolve=lambda: _function_facts(node), handed=handed),
                             node.body)
        return node

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        self._outer_parts(node)
        return node  # async bodies are not rewritten (transform.py)

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        self._outer_parts(node)
        node.body = self._in(_Context(walrus=True, names=True, in_iter=self._ctx[-1].in_iter,
                                      resolve=lambda: (_plain_locals(node), {})), node.body)
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        outer = self._ctx[-1].outer()
        node.decorator_list = self._in(outer, node.decorator_list)
        node.bases = self._in(outer, node.bases)
        node.keywords = self._in(outer, node.keywords)
        node.body = self._in(_Context(walrus=False, names=False, in_iter=self._ctx[-1].in_iter),
                             node.body)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        node.target = self.visit(node.target)
        node.annotation = self._in(_Context(walrus=False, names=self._ctx[-1].names),
                                   node.annotation)
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def _comprehension(self, node: Any, parts: list[str]) -> ast.AST:
        ctx = self._ctx[-1]
        # ``:=`` inside a comprehension binds in the enclosing function: fine there, not in a
        # class body or at module level, and never in an iterable.
        targets = {n.id for gen in node.generators for n in traversal.nodes(gen.target)
                   if isinstance(n, ast.Name)}
        inner = _Context(ctx.walrus, ctx.names, ctx.in_iter, resolve=lambda: (
            ctx.plain | targets, {k: v for k, v in ctx.types.items() if k not in targets}))
        for gen in node.generators:
            gen.iter = self._in(_Context(walrus=False, names=ctx.names, in_iter=True), gen.iter)
            gen.target = self._in(inner, gen.target)
            gen.ifs = self._in(inner, gen.ifs)
        for part in parts:
            setattr(node, part, self._in(inner, getattr(node, part)))
        return node

    def visit_ListComp(self, node: ast.ListComp) -> ast.AST:
        return self._comprehension(node, ["elt"])

    def visit_SetComp(self, node: ast.SetComp) -> ast.AST:
        return self._comprehension(node, ["elt"])

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> ast.AST:
        return self._comprehension(node, ["elt"])

    def visit_DictComp(self, node: ast.DictComp) -> ast.AST:
        return self._comprehension(node, ["key", "value"])

    # -- call sites -------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if _is_hook(node, CALL) and node.args and isinstance(node.args[0], ast.Name):
            return self._builtin_call(node)
        if _is_hook(node, CALL):
            return self._method_call(node)
        if _is_hook(node, FSTRING):
            return self._fstring(node)
        if _is_hook(node, STORE):
            return self._store(node)
        return node

    def _store(self, node: ast.Call) -> ast.expr:
        """``obj.x = v``: the guard (hooks.store_guard) has nothing to wait for when ``v`` is an
        atom, so an atom is stored as it is."""
        ctx = self._ctx[-1]
        if len(node.args) != 1 or node.keywords or not ctx.names:
            return node
        value = node.args[0]
        if _fresh_empty(value):
            return value  # a new, empty container: nothing inside to wait for
        if _known_type(value) in ATOM_TYPES:
            assert isinstance(value, ast.IfExp)
            hook = ast.Call(_load(STORE), [value.orelse], [])
            return _located(ast.IfExp(value.test, value.body, hook), node)
        if isinstance(value, ast.Name):
            return _located(ast.IfExp(_is_atom(_load(value.id)), _load(value.id), node), node)
        if not ctx.walrus or isinstance(value, ast.Starred):
            return node
        temp = self._temp()
        test = _is_atom(ast.NamedExpr(ast.Name(temp, ast.Store()), value))
        hook = ast.Call(_load(STORE), [_released(temp)], [])
        return _located(ast.IfExp(test, _load(temp), hook), node)

    def _temp(self) -> str:
        return f"{TEMP_PREFIX}{next(self._counter)}"

    def _held_arguments(
        self, args: list[ast.expr], check: Callable[[ast.expr], ast.expr],
        as_is: Callable[[ast.expr], bool],
    ) -> tuple[list[ast.expr], list[ast.expr], list[ast.expr]]:
        """Each argument not taken ``as_is`` is evaluated once into a temporary inside its
        ``check`` (the site's type test); returns the tests, the values for the direct call
        and the values for the hook (temporaries released after use)."""
        temps: list[str | None] = []
        tests: list[ast.expr] = []
        for a in args:
            if as_is(a):
                temps.append(None)
                continue
            temp = self._temp()
            temps.append(temp)
            tests.append(check(ast.NamedExpr(ast.Name(temp, ast.Store()), a)))
        values = [_same(a) if t is None else _load(t) for a, t in zip(args, temps)]
        released = [_same(a) if t is None else _released(t) for a, t in zip(args, temps)]
        return tests, values, released

    def _method_call(self, node: ast.Call) -> ast.expr:
        site = self._method_site(node)
        func = node.args[0] if node.args else None
        if site is node or not isinstance(func, ast.Attribute) \
                or func.attr not in MUTATING_METHODS:
            return site
        # (hook(x.append, a) if GUARDED else <site>): a change the hook must see while guarded
        guarded = ast.IfExp(_load(GUARDED), traversal.copy_tree(node), site)
        if _is_inlined_complex(site):
            guarded._opportune_complex = True  # type: ignore[attr-defined]
        return _located(guarded, node)

    def _method_site(self, node: ast.Call) -> ast.expr:
        ctx = self._ctx[-1]
        if node.keywords or len(node.args) < 1 or not ctx.names:
            return node
        func, *args = node.args
        if not isinstance(func, ast.Attribute) or any(isinstance(a, ast.Starred) for a in args):
            return node
        receiver, name = func.value, func.attr
        simple = all(_constant_atom(a) or _fresh_empty(a) or isinstance(a, ast.Name)
                     for a in args)
        known = _known_type(receiver)
        if isinstance(receiver, ast.Constant) and type(receiver.value) is str and simple \
                and str in _BY_NAME.get(name, ()):
            return self._typed_receiver(node, receiver, name, args, simple)
        if known is not None and simple and known in _BY_NAME.get(name, ()):
            assert isinstance(receiver, ast.IfExp)
            return self._fused_receiver(node, receiver, known, name, args)
        if isinstance(receiver, ast.Name):
            types = _BY_NAME.get(name)
            if not types:
                return node
            declared = ctx.types.get(receiver.id)
            if declared is not None and declared in types:
                return self._typed_receiver(node, receiver, name, args, simple)
            if simple:
                return self._simple_site(node, receiver, name, args, types)
            if ctx.walrus and receiver.id in ctx.plain:
                return self._complex_args_site(node, receiver, name, args, types)
            return node
        types = _BY_NAME_ATOM.get(name)
        if not types or not simple or not ctx.walrus:
            return node
        # (t.name(args) if type(t := receiver) is str else hook((t, t := None)[0].name, args))
        temp = self._temp()
        test = _and_chain(_type_is(ast.NamedExpr(ast.Name(temp, ast.Store()), receiver), types),
                          [_is_atom(_load(a.id)) for a in args if isinstance(a, ast.Name)])
        direct = ast.Call(ast.Attribute(_load(temp), name, ast.Load()),
                          [_same(a) for a in args], [])
        hook = ast.Call(_load(CALL), [ast.Attribute(_released(temp), name, ast.Load()),
                                      *[_same(a) for a in args]], [])
        return _typed(_located(ast.IfExp(test, direct, hook), node),
                      _result_type(types[0], name) if len(types) == 1 else None)

    def _builtin_call(self, node: ast.Call) -> ast.expr:
        """``len(x)``, ``enumerate(xs)``: the name is tested to hold the builtin itself (it may
        be shadowed or rebound), then the arguments as the hook would test them."""
        ctx = self._ctx[-1]
        func = node.args[0]
        assert isinstance(func, ast.Name)
        name, args = func.id, node.args[1:]
        if not ctx.names or name not in ctx.handed and name in ctx.plain:
            return node
        same = ast.Compare(_load(name), [ast.Is()], [_load(builtin_name(name))])
        if name in PLAIN_BUILTINS:
            # (enumerate if enumerate is B else bind(enumerate))(args...): the callee is chosen
            # before the arguments are evaluated, as Python evaluates them
            callee = ast.IfExp(same, _load(name), ast.Call(_load(BIND), [_load(name)], []))
            return _located(ast.Call(callee, args, node.keywords), node)
        if name in SHALLOW_BUILTINS:
            check = _is_shallow_ok
        elif name in LAZY_BUILTINS:
            check = _is_atom
        else:
            return node
        if node.keywords or any(isinstance(a, ast.Starred) for a in args):
            return node
        if all(_constant_atom(a) or isinstance(a, ast.Name) for a in args):
            tests = [check(_load(a.id)) for a in args if isinstance(a, ast.Name)]
            direct = ast.Call(_load(builtin_name(name)), [_same(a) for a in args], [])
            site = ast.IfExp(_and_chain(same, tests), direct, node)
            return _typed(_located(site, node), _BUILTIN_RESULTS.get(name))
        if not ctx.walrus or any(_is_inlined_complex(a) for a in args):
            return node
        tests, values, released = self._held_arguments(args, check, _constant_atom)
        # the builtin itself, not the name again: the arguments could have rebound the name
        direct = ast.Call(_load(builtin_name(name)), values, [])
        hook = ast.Call(_load(CALL), [_load(builtin_name(name)), *released], [])
        inner = ast.IfExp(_all(tests), direct, hook)
        inner._opportune_complex = True  # type: ignore[attr-defined]
        site = ast.IfExp(same, inner, traversal.copy_tree(node))
        site._opportune_complex = True  # type: ignore[attr-defined]
        return _located(site, node)

    def _fused_receiver(self, node: ast.Call, receiver: ast.IfExp, known: type, name: str,
                        args: list[ast.expr]) -> ast.expr:
        """``f"w{i}".upper()``: the receiver is itself a call site whose direct branch gives a
        ``str``; the method joins that branch, and the hook branch calls it through the hook."""
        test = _and_chain(receiver.test,
                          [_is_atom(_load(a.id)) for a in args if isinstance(a, ast.Name)])
        direct = ast.Call(ast.Attribute(receiver.body, name, ast.Load()),
                          [_same(a) for a in args], [])
        hook = ast.Call(_load(CALL), [ast.Attribute(receiver.orelse, name, ast.Load()),
                                      *[_same(a) for a in args]], [])
        return _typed(_located(ast.IfExp(test, direct, hook), node), _result_type(known, name))

    def _typed_receiver(self, node: ast.Call, receiver: ast.Name | ast.Constant, name: str,
                        args: list[ast.expr], simple: bool) -> ast.expr:
        """``results.append(x)`` where ``results`` only ever holds a list built here, or
        ``", ".join(...)``: only the arguments need a test."""
        attr = ast.Attribute(_same(receiver), name, ast.Load())
        if simple:
            tests = [_is_atom(_load(a.id)) for a in args if isinstance(a, ast.Name)]
            direct = ast.Call(attr, [_same(a) for a in args], [])
            if not tests:
                return _located(direct, node)
            result = _result_type(str, name) if isinstance(receiver, ast.Constant) else None
            return _typed(_located(ast.IfExp(_and_chain(tests[0], tests[1:]), direct, node),
                                   node), result)
        if len(args) == 1 and _known_type(args[0]) in ATOM_TYPES:
            # results.append(f"{x}".upper()): one test for the whole chain
            arg = args[0]
            assert isinstance(arg, ast.IfExp)
            direct = ast.Call(attr, [arg.body], [])
            hook = ast.Call(_load(CALL), [traversal.copy_tree(attr), arg.orelse], [])
            return _located(ast.IfExp(arg.test, direct, hook), node)
        if not self._ctx[-1].walrus or not isinstance(receiver, ast.Name):
            return node
        return self._complex_args_site(node, receiver, name, args, ())

    def _simple_site(self, node: ast.Call, receiver: ast.Name, name: str,
                     args: list[ast.expr], types: tuple[type, ...]) -> ast.expr:
        """Receiver and arguments are names or constants: test them, no temporaries."""
        test = _and_chain(_type_is(_load(receiver.id), types),
                          [_is_atom(_load(a.id)) for a in args if isinstance(a, ast.Name)])
        direct = ast.Call(ast.Attribute(_load(receiver.id), name, ast.Load()),
                          [_same(a) for a in args], [])
        return _typed(_located(ast.IfExp(test, direct, node), node),
                      _result_type(types[0], name) if len(types) == 1 else None)

    def _complex_args_site(self, node: ast.Call, receiver: ast.Name, name: str,
                           args: list[ast.expr], types: tuple[type, ...]) -> ast.expr:
        """``text.append(EXPR)``: once ``text`` is known to be a built-in container, the method
        lookup has no effect and may follow the arguments, which are evaluated once into
        temporaries; otherwise the original call runs as it was."""
        if any(_is_inlined_complex(a) for a in args):
            return node  # keep the code from doubling at every nesting level
        if any(isinstance(n, ast.NamedExpr) and n.target.id == receiver.id
               for a in args for n in traversal.nodes(a)):
            return node
        tests, values, released = self._held_arguments(
            args, _is_atom, lambda a: _constant_atom(a) or _fresh_empty(a))
        direct = ast.Call(ast.Attribute(_load(receiver.id), name, ast.Load()), values, [])
        hook_known = ast.Call(_load(CALL), [ast.Attribute(_load(receiver.id), name, ast.Load()),
                                            *released], [])
        inner = ast.IfExp(_all(tests), direct, hook_known)
        inner._opportune_complex = True  # type: ignore[attr-defined]
        if not types:  # the receiver's type is known
            return _located(inner, node)
        site = ast.IfExp(_type_is(_load(receiver.id), types), inner, traversal.copy_tree(node))
        site._opportune_complex = True  # type: ignore[attr-defined]
        return _located(site, node)

    def _fstring(self, node: ast.Call) -> ast.expr:
        ctx = self._ctx[-1]
        if node.keywords or not ctx.names:
            return node
        values: list[ast.expr] = []
        tests: list[ast.expr] = []
        hook_parts: list[ast.expr] = []
        temps_used = False
        for part in node.args:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                values.append(ast.Constant(part.value))
                hook_parts.append(part)
                continue
            if not (isinstance(part, ast.Tuple) and len(part.elts) == 3):
                return node
            value, conversion, spec = part.elts
            if not isinstance(conversion, ast.Constant) or conversion.value not in _CONVERSIONS:
                return node
            if isinstance(spec, ast.Constant) and spec.value is None:
                format_spec = None
            elif isinstance(spec, ast.JoinedStr) and all(
                    isinstance(v, ast.Constant) for v in spec.values):
                format_spec = spec
            else:
                return node
            if _constant_atom(value):
                shown: ast.expr = value
                kept: ast.expr = value
            elif isinstance(value, ast.Name):
                tests.append(_is_atom(_load(value.id)))
                shown, kept = _load(value.id), _load(value.id)
            else:
                if not ctx.walrus:
                    return node
                temp = self._temp()
                temps_used = True
                tests.append(_is_atom(ast.NamedExpr(ast.Name(temp, ast.Store()), value)))
                shown, kept = _load(temp), _released(temp)
            values.append(ast.FormattedValue(shown, _CONVERSIONS[conversion.value],
                                             format_spec))
            hook_parts.append(ast.Tuple([kept, conversion, spec], ast.Load()))
        if not tests:
            return node
        inline = ast.JoinedStr(values)
        test = _all(tests) if temps_used else _and_chain(tests[0], tests[1:])
        hook = ast.Call(_load(FSTRING), hook_parts, [])
        return _typed(_located(ast.IfExp(test, inline, hook), node), str)


_CONVERSIONS = {None: -1, "s": 115, "r": 114, "a": 97}

# Builtins whose direct call gives an atom of a known type (for chains such as str(x).upper()).
_BUILTIN_RESULTS: dict[str, type] = {"str": str, "repr": str, "ascii": str, "format": str,
                                     "hex": str, "oct": str, "bin": str, "chr": str}

_STR_RESULTS: dict[str, type] = {
    **dict.fromkeys(("capitalize", "casefold", "center", "expandtabs", "format", "join",
                     "ljust", "lower", "lstrip", "removeprefix", "removesuffix", "replace",
                     "rjust", "rstrip", "strip", "swapcase", "title", "translate", "upper",
                     "zfill"), str),
    **dict.fromkeys(("startswith", "endswith", "isalnum", "isalpha", "isascii", "isdecimal",
                     "isdigit", "isidentifier", "islower", "isnumeric", "isprintable",
                     "isspace", "istitle", "isupper"), bool),
    **dict.fromkeys(("find", "rfind", "index", "rindex", "count"), int),
    "encode": bytes,
}


def _result_type(receiver: type, name: str) -> type | None:
    """The type the direct branch of a call site gives, where it is an atom known here."""
    return _STR_RESULTS.get(name) if receiver is str else None


def _typed(site: ast.expr, result: type | None) -> ast.expr:
    if result is not None:
        site._opportune_type = result  # type: ignore[attr-defined]
    return site


def _known_type(node: ast.expr) -> type | None:
    """The type of the direct branch of a call site built here (``IfExp``), if known."""
    return getattr(node, "_opportune_type", None) if isinstance(node, ast.IfExp) else None


def _and_chain(first: ast.expr, rest: list[ast.expr]) -> ast.expr:
    return first if not rest else ast.BoolOp(ast.And(), [first, *rest])


def _same(a: ast.expr) -> ast.expr:
    """A second use of a constant, name or empty display from the original call."""
    if isinstance(a, ast.Name):
        return _load(a.id)
    return traversal.copy_tree(a)


def _is_inlined_complex(node: ast.expr) -> bool:
    return any(getattr(n, "_opportune_complex", False) for n in traversal.nodes(node))


def _located(new: ast.expr, original: ast.expr) -> ast.expr:
    """Give the nodes of ``new`` without a location that of ``original``, as
    ``ast.copy_location`` would. A hook call made by the rewrite pass has none yet (outside
    deferred statements): then there is nothing to copy, and no walk (the locations pass
    fills them in)."""
    if "lineno" not in original.__dict__ and "end_lineno" not in original.__dict__:
        return new
    for n in traversal.nodes(new):
        if "lineno" in n._attributes and not hasattr(n, "lineno"):
            ast.copy_location(n, original)
    return new


def inline(tree: ast.Module) -> ast.Module:
    """Rewrite the hook calls of an already transformed module in place (module docstring)."""
    new = _Inliner().visit(tree)
    assert isinstance(new, ast.Module)
    return new
