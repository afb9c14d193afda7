
"""Branches on pending values that need not stop the program.

``if rr.rating > best: best = rr.rating`` inside a loop over candidates would make every
iteration wait for its LLM answer before the next call is issued, although no later call depends
on the branch. When a branch only assigns local names from expressions that make no calls, both
arms are evaluated *speculatively* (no call is made, nothing is printed, a failure is kept, not
raised) and each assigned name becomes a pending *selection* that resolves once the condition
does: if-conversion. ``a and b``, ``a or b``, ``not a`` and ``x if c else y`` get the same
treatment; a conditional expression whose arms do make calls runs the chosen arm later, in its
own block of program order, with the names it uses captured as they are now.

Everything here is decided from the syntax; the run-time half lives in
:mod:`opportune.runtime.branching`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Sequence

from opportune.compiler import traversal

IF_UNDECIDED = "__opportune_undecided__"
SPEC_ENTER = "__opportune_spec_enter__"
SPEC_EXIT = "__opportune_spec_exit__"
SPEC_SAFE = "__opportune_spec_safe__"
UNBOUND = "__opportune_unbound__"  # installed by the runtime hooks (see compiler/rollback.py)
SELECT = "__opportune_select__"
AND = "__opportune_and__"
OR = "__opportune_or__"
NOT = "__opportune_not__"
IFEXP = "__opportune_ifexp__"
RETURNED = "__opportune_returned__"
ANY_ALL = "__opportune_any_all__"  # ``any(... for x in xs)``: runtime/branching.any_all
CAPTURE = "__opportune_capture__"  # names as they are now: runtime/deferral.py

_IMPURE = (ast.Call, ast.Yield, ast.YieldFrom, ast.Await, ast.NamedExpr, ast.Lambda,
           ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def makes_no_calls(node: ast.AST) -> bool:
    return not any(isinstance(n, _IMPURE) for n in traversal.nodes(node))


def lazy_any_all(node: ast.Call) -> bool:
    """Whether ``any(...)``/``all(...)`` is called on one generator expression with a single
    ``for`` whose item and conditions make no calls (``any("yes" in a for a in answers)``):
    once an item is pending, the rest may be computed speculatively, as the later operands of
    ``or``/``and`` are (runtime/branching.any_all)."""
    if not (isinstance(node.func, ast.Name) and node.func.id in ("any", "all")) \
            or len(node.args) != 1 or node.keywords:
        return False
    gen = node.args[0]
    if not isinstance(gen, ast.GeneratorExp) or len(gen.generators) != 1:
        return False
    loop = gen.generators[0]
    return not loop.is_async and makes_no_calls(gen.elt) and makes_no_calls(loop.target) \
        and all(makes_no_calls(c) for c in loop.ifs)


def _simple_block(stmts: list[ast.stmt]) -> bool:
    for s in stmts:
        if isinstance(s, ast.Pass):
            continue
        if isinstance(s, ast.Assign):
            if not all(_name_target(t) for t in s.targets) or not makes_no_calls(s.value):
                return False
        elif isinstance(s, ast.AugAssign):
            if not isinstance(s.target, ast.Name) or not makes_no_calls(s.value):
                return False
        elif isinstance(s, ast.AnnAssign):
            if not isinstance(s.target, ast.Name) or s.value is None \
                    or not makes_no_calls(s.value):
                return False
        elif isinstance(s, ast.If):
            if not convertible_if(s):
                return False
        else:
            return False
    return True


def _name_target(t: ast.expr) -> bool:
    if isinstance(t, ast.Name):
        return True
    if isinstance(t, (ast.Tuple, ast.List)):
        return all(_name_target(e) for e in t.elts)
    return False


def convertible_if(node: ast.If) -> bool:
    """Whether both arms only assign local names from call-free expressions."""
    return bool(node.body) and _simple_block(node.body) and _simple_block(node.orelse)


def assigned_names(stmts: list[ast.stmt]) -> list[str]:
    names: list[str] = []
    for s in stmts:
        for n in traversal.nodes(s):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id not in names:
                names.append(n.id)
    return names


def read_names(stmts: list[ast.stmt]) -> tuple[list[str], list[str]]:
    """(names the statements read, names they update in place with ``x op= ...``), in order."""
    reads: list[str] = []
    updated: list[str] = []
    for s in stmts:
        for n in traversal.nodes(s):
            if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name):
                for group in (reads, updated):
                    if n.target.id not in group:
                        group.append(n.target.id)
            elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in reads:
                reads.append(n.id)
    return reads, updated


def _load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def _store(name: str) -> ast.Name:
    return ast.Name(name, ast.Store())


def _call(func: str, *args: ast.expr) -> ast.Call:
    return ast.Call(_load(func), list(args), [])


def _tuple(names: list[str], ctx: ast.expr_context) -> ast.Tuple:
    return ast.Tuple([ast.Name(n, ctx) for n in names], ctx)


def convert_if(node: ast.If, original_targets: list[str], counter: Iterator[int],
               reads: tuple[list[str], list[str]] = ([], []),
               in_function: bool = False, shared: bool = False,
               helpers: list[str] | None = None) -> list[ast.stmt]:
    """The if-converted form of an (already rewritten) ``if`` statement; see the module doc.

    ``helpers``, if given, receives the names the converted form may bind for its own use.

    ``reads`` are :func:`read_names` of the original arms: at run time the arms are evaluated
    speculatively only if those values are plain data (see ``branching.spec_safe``), otherwise
    the ``if`` waits for its condition as before. A name that is not bound yet may be bound
    by one arm only: if the other is taken, using the name raises as plain Python would.

    Each arm is copied once to speculate and kept once as written, unless ``shared`` (an arm
    holds an ``if`` of its own, itself converted): then both uses run one copy (see
    :func:`_shared_arms`), so an ``elif`` chain compiles to code linear in its length, not
    doubling with every level.
    """
    k = next(counter)
    cond, old = f"__opp_c{k}", f"__opp_old{k}"
    then_v, then_e = f"__opp_then{k}", f"__opp_terr{k}"
    else_v, else_e = f"__opp_else{k}", f"__opp_eerr{k}"
    err, mark, safe = f"__opp_e{k}", f"__opp_s{k}", f"__opp_ok{k}"
    read, updated = reads
    names = original_targets

    held = {n: f"__opp_h{k}_{i}" for i, n in enumerate(dict.fromkeys([*names, *read]))}
    if helpers is not None:
        helpers += [cond, old, then_v, then_e, else_v, else_e, mark, safe, *held.values(),
                    f"__opp_arm{k}", f"__opp_arms{k}"]

    def capture(into: list[str], of: list[str]) -> ast.Assign:
        """``into... = of...`` as they are now, unbound ones as the marker: one call
        (``deferral.capture``), not a guarded read per name."""
        return ast.Assign([_tuple(into, ast.Store())],
                          _call(CAPTURE, ast.Constant(tuple(of)), ast.Dict([], [])))

    def arm_values(value: str) -> list[ast.stmt]:
        """``value = (names...)`` as the arm left them, unbound ones as the marker."""
        return [ast.Assign([_store(value)],
                           _call(CAPTURE, ast.Constant(tuple(names)), ast.Dict([], [])))]

    def put_back(name: str) -> ast.If:
        """``name = held``, or unbind it again."""
        return ast.If(
            ast.Compare(_load(held[name]), [ast.Is()], [_load(UNBOUND)]),
            [ast.Try(body=[ast.Delete([ast.Name(name, ast.Del())])],
                     handlers=[ast.ExceptHandler(type=_load("NameError"), name=None,
                                                 body=[ast.Pass()])],
                     orelse=[], finalbody=[])],
            [ast.Assign([_store(name)], _load(held[name]))])

    def speculative(body: list[ast.stmt], value: str, error: str) -> list[ast.stmt]:
        return [
            ast.Assign([_store(mark)], _call(SPEC_ENTER)),
            ast.Try(
                body=[*(traversal.copy_tree(body) or [ast.Pass()]),
                      *arm_values(value),
                      ast.Assign([_store(error)], ast.Constant(None))],
                handlers=[ast.ExceptHandler(
                    type=_load("BaseException"), name=err,
                    body=[ast.Assign([_store(value)], ast.Constant(None)),
                          ast.Assign([_store(error)], _load(err))],
                )],
                orelse=[],
                finalbody=[ast.Expr(_call(SPEC_EXIT, _load(mark)))],
            ),
            *(put_back(n) for n in names),
        ]

    if shared:
        return _shared_arms(node, k, names, held, undecided_head=[
            capture([held[n] for n in held], list(held)),
            ast.Assign([_store(old)], ast.Tuple([_load(held[n]) for n in names], ast.Load())),
            ast.Assign([_store(safe)], _call(
                SPEC_SAFE, ast.Tuple([_load(held[n]) for n in read], ast.Load()),
                ast.Tuple([_load(held[n]) for n in updated], ast.Load()))),
        ], put_back=put_back, in_function=in_function)
    predicated = [
        *speculative(node.body, then_v, then_e),
        *(speculative(node.orelse, else_v, else_e) if node.orelse else [
            ast.Assign([_store(else_v)], _load(old)),
            ast.Assign([_store(else_e)], ast.Constant(None)),
        ]),
        ast.Assign(
            [_tuple(names, ast.Store())],
            _call(SELECT, _load(cond), _load(then_v), _load(then_e), _load(else_v),
                  _load(else_e), ast.Constant(len(names)),
                  ast.Constant(tuple(names)), ast.Constant(in_function)),
        ),
    ]
    undecided = [
        capture([held[n] for n in held], list(held)),
        ast.Assign([_store(old)], ast.Tuple([_load(held[n]) for n in names], ast.Load())),
        ast.Assign([_store(safe)], _call(
            SPEC_SAFE, ast.Tuple([_load(held[n]) for n in read], ast.Load()),
            ast.Tuple([_load(held[n]) for n in updated], ast.Load()))),
        ast.If(_load(safe), predicated, []),
    ]
    # The arms as written appear once, after both ways of deciding not to speculate: each arm
    # is copied once for speculation and once here, not once more per way.
    return [
        ast.Assign([_store(cond)], node.test),
        ast.Assign([_store(safe)], ast.Constant(False)),
        ast.If(_call(IF_UNDECIDED, _load(cond)), undecided, []),
        ast.If(_load(safe), [ast.Pass()], [ast.If(_load(cond), node.body, node.orelse)]),
    ]


def _shared_arms(node: ast.If, k: int, names: list[str], held: dict[str, str],
                 undecided_head: list[ast.stmt], put_back: Callable[[str], ast.stmt],
                 in_function: bool) -> list[ast.stmt]:
    """The converted ``if`` with one copy of its arms, run once per arm to speculate or once
    as written::

        c = <test>; ok = False
        if undecided(c): <hold the names>; ok = spec_safe(...)
        for arm in ((True, False) if ok else (True,) if c else (False,)):
            <enter speculation if ok>
            try: <the arm `arm` names>; <its values if ok>
            except BaseException as e: <raise unless ok>; <its error>
            finally: <leave speculation if ok>
            <put the names back if ok>
        if ok: names = select(...)

    Run as written, the arm's error passes through unchanged (a bare ``raise`` keeps its
    traceback), and nothing else happens that the plain ``if`` would not do.
    """
    cond, old, safe = f"__opp_c{k}", f"__opp_old{k}", f"__opp_ok{k}"
    then_v, then_e = f"__opp_then{k}", f"__opp_terr{k}"
    else_v, else_e = f"__opp_else{k}", f"__opp_eerr{k}"
    err, mark = f"__opp_e{k}", f"__opp_s{k}"
    arm, runs = f"__opp_arm{k}", f"__opp_arms{k}"

    def when_ok(body: Sequence[ast.stmt], orelse: Sequence[ast.stmt] = ()) -> ast.If:
        return ast.If(_load(safe), list(body), list(orelse))

    def per_arm(then: Sequence[ast.stmt], other: Sequence[ast.stmt]) -> ast.If:
        return ast.If(_load(arm), list(then), list(other))

    def values(value: str, error: str) -> list[ast.stmt]:
        return [ast.Assign([_store(value)],
                           _call(CAPTURE, ast.Constant(tuple(names)), ast.Dict([], []))),
                ast.Assign([_store(error)], ast.Constant(None))]

    def failed(value: str, error: str) -> list[ast.stmt]:
        return [ast.Assign([_store(value)], ast.Constant(None)),
                ast.Assign([_store(error)], _load(err))]

    both = ast.Tuple([ast.Constant(True), ast.Constant(False)] if node.orelse
                     else [ast.Constant(True)], ast.Load())
    choose = when_ok([ast.Assign([_store(runs)], both)], [
        ast.If(_load(cond), [ast.Assign([_store(runs)], ast.Tuple([ast.Constant(True)],
                                                                  ast.Load()))],
               [ast.Assign([_store(runs)], ast.Tuple([ast.Constant(False)], ast.Load()))])])
    loop = ast.For(
        target=_store(arm), iter=_load(runs), orelse=[],
        body=[
            when_ok([ast.Assign([_store(mark)], _call(SPEC_ENTER))]),
            ast.Try(
                body=[per_arm(node.body, node.orelse or [ast.Pass()]),
                      when_ok([per_arm(values(then_v, then_e), values(else_v, else_e))])],
                handlers=[ast.ExceptHandler(type=_load("BaseException"), name=err, body=[
                    ast.If(ast.UnaryOp(ast.Not(), _load(safe)), [ast.Raise()], []),
                    per_arm(failed(then_v, then_e), failed(else_v, else_e))])],
                orelse=[],
                finalbody=[when_ok([ast.Expr(_call(SPEC_EXIT, _load(mark)))])]),
            when_ok([put_back(n) for n in names]),
        ])
    select = [
        *([] if node.orelse else [ast.Assign([_store(else_v)], _load(old)),
                                  ast.Assign([_store(else_e)], ast.Constant(None))]),
        ast.Assign([_tuple(names, ast.Store())],
                   _call(SELECT, _load(cond), _load(then_v), _load(then_e), _load(else_v),
                         _load(else_e), ast.Constant(len(names)), ast.Constant(tuple(names)),
                         ast.Constant(in_function))),
    ]
    return [
        ast.Assign([_store(cond)], node.test),
        ast.Assign([_store(safe)], ast.Constant(False)),
        ast.If(_call(IF_UNDECIDED, _load(cond)), undecided_head, []),
        choose,
        loop,
        when_ok(select),
    ]


def lazy_boolop(node: ast.BoolOp) -> ast.expr:
    """``a and b`` -> ``__opportune_and__(a, lambda: b)``; the caller has checked that the later
    operands make no calls (in the source, before other rewrites)."""
    func = AND if isinstance(node.op, ast.And) else OR
    thunks = [_thunk(v) for v in node.values[1:]]
    return ast.Call(_load(func), [node.values[0], *thunks], [])


def _thunk(expr: ast.expr) -> ast.Lambda:
    return ast.Lambda(
        ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                      kwarg=None, defaults=[]),
        expr,
    )


def _params(names: list[str]) -> ast.arguments:
    return ast.arguments(posonlyargs=[], args=[ast.arg(n) for n in names], vararg=None,
                         kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])


def ifexp_movable(original: ast.IfExp) -> bool:
    """Whether the arms may be moved into functions of their own: ``y := ...`` must bind in
    the enclosing scope, ``yield``/``await`` belong to the enclosing function, and a bare
    ``super()`` needs that function's first argument."""
    for arm in (original.body, original.orelse):
        for n in traversal.nodes(arm):
            if isinstance(n, (ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await)):
                return False
            if isinstance(n, ast.Name) and n.id in ("super", "__class__"):
                return False
    return True


def lazy_ifexp(node: ast.IfExp, original: ast.IfExp | None) -> ast.expr:
    """``a if c else b`` -> a lazy selection, or a deferred arm when the arms make calls (and
    may run later: see :func:`opportune.compiler.deferral.movable_arms`). ``original``: the
    expression as written, None when its arms make no calls."""
    from opportune.compiler.deferral import arm_names, movable_arms

    if original is None:
        return ast.Call(_load(IFEXP), [node.test, _thunk(node.body), _thunk(node.orelse),
                                       ast.Constant(None), ast.Constant(None),
                                       ast.Constant(None)], [])
    arms = [[ast.Expr(traversal.copy_tree(original.body))], [ast.Expr(traversal.copy_tree(original.orelse))]]
    if not movable_arms(arms):
        return node
    found = arm_names([original.body, original.orelse])
    names = list(found.read)
    capture = _thunk(ast.Tuple([_load(n) for n in names], ast.Load()))
    then_fn = ast.Lambda(_params(names), traversal.copy_tree(node.body))
    else_fn = ast.Lambda(_params(names), traversal.copy_tree(node.orelse))
    calls = ast.Constant((tuple(names), found.called, found.methods, found.other_calls,
                          found.aliases))
    return ast.Call(_load(IFEXP), [node.test, _thunk(node.body), _thunk(node.orelse), capture,
                                   then_fn, else_fn, calls], [])


def lazy_not(node: ast.UnaryOp) -> ast.expr:
    return ast.Call(_load(NOT), [node.operand], [])



def branch_assigned(fn: ast.FunctionDef) -> frozenset[str]:
    """Names ``fn`` assigns inside an ``if`` or a loop (not in nested scopes): a branch on a
    pending value may leave such a name unbound, to be raised only where it is used."""
    found: set[str] = set()

    def walk(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                  ast.Lambda)):
                continue
            if inside and isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                found.add(child.id)
            walk(child, inside or isinstance(child, (ast.If, ast.For, ast.While)))

    walk(fn, False)
    return frozenset(found)


def guard_returns(fn: ast.FunctionDef, names: frozenset[str]) -> None:
    """``return name`` of such a name becomes ``return __opportune_returned__(name)``: plain
    Python raises UnboundLocalError at the return itself, inside the function's ``try``."""
    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                  ast.Lambda)):
                continue
            if isinstance(child, ast.Return) and isinstance(child.value, ast.Name) \
                    and child.value.id in names:
                child.value = ast.copy_location(
                    ast.Call(ast.Name(RETURNED, ast.Load()), [child.value], []), child.value)
            walk(child)

    walk(fn)
