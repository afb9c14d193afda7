"""Front end: a Python function's ``ast`` is executed *symbolically* into TensIR.

A loop is not unrolled: its body runs once with the loop index standing for the whole range
(an ``Axis``).  ``x[i]`` then denotes the slice ``x[lo:hi]`` labelled with that axis, and
arithmetic between values over different axes broadcasts.  At the end of the body each
variable the loop carries is classified: an ``append``-built list becomes the body's value
over the axis, an accumulator ``s = f(s, ...)`` becomes a reduction once ``f`` is shown to be
``s (op) e`` for one of sum/product/max/min (see ``_synth``).  Anything outside this
fragment raises ``LiftError`` naming the construct and its line.

Each loop's result is recorded in a ``LoopSummary`` in terms of placeholders for its entry
values; the verifier checks those summaries against its own reading of the same ``ast``.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from opportune.lift import _ir
from opportune.lift._errors import LiftError
from opportune.lift._ir import (
    Arange,
    Bin,
    Const,
    Expand,
    Index,
    Node,
    Permute,
    Reduce,
    Scan,
    Slice,
    Sym,
    Un,
    Var,
    Where,
)

MATH_FUNCS = {"exp", "log", "sqrt", "sin", "cos", "tanh", "fabs", "floor", "ceil"}
BINOPS = {
    ast.Add: "add",
    ast.Sub: "sub",
    ast.Mult: "mul",
    ast.Div: "div",
    ast.FloorDiv: "floordiv",
    ast.Mod: "mod",
    ast.Pow: "pow",
}
CMPOPS = {ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge", ast.Eq: "eq", ast.NotEq: "ne"}


@dataclass(frozen=True)
class Axis:
    tag: str
    lo: Node
    hi: Node

    @property
    def length(self) -> Node:
        return _ir.sub(self.hi, self.lo)


@dataclass(frozen=True)
class Val:
    node: Node
    axes: tuple[Axis, ...] = ()

    @property
    def drank(self) -> int:
        return self.node.rank - len(self.axes)


@dataclass(frozen=True)
class IdxVal:
    """The loop index ``i`` (plus a constant offset): indexes stay slices, not gathers."""

    axis: Axis
    off: Node = Const(0)  # noqa: RUF009 - Const is frozen


@dataclass(frozen=True)
class EmptyList:
    """``[]``: a list that a following loop fills with ``append``."""


@dataclass(frozen=True)
class FilledList:
    """``[c] * n``: a list that a following loop overwrites element by element."""

    fill: Val | FilledList
    length: Node


@dataclass(frozen=True)
class AppendTarget:
    name: str


@dataclass(frozen=True)
class ElemTarget:
    name: str
    axis: Axis
    length: Node


@dataclass
class LoopSummary:
    """What a loop does, stated with ``Sym`` placeholders for the values it starts from."""

    axis: Axis
    syms: dict[str, str]  # carried variable -> placeholder name
    kinds: dict[str, str]  # variable -> "acc" | "append" | "elem"
    posts: dict[str, Val]
    dead: set[str] = field(default_factory=set)


@dataclass
class Translation:
    """A function translated into TensIR: its outputs, parameter ranks, and loop summaries."""

    fn_name: str
    params: list[str]
    kinds: dict[str, int]
    size_params: set[str]
    outputs: list[Val]
    is_tuple: bool
    tree: ast.FunctionDef
    summaries: dict[int, LoopSummary]
    reductions: dict[int, Val]  # builtin sum/max/min call -> its TensIR value


def parse_function(fn: Callable[..., Any]) -> ast.FunctionDef:
    try:
        src = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError) as e:
        raise LiftError(
            f"cannot read the source of {fn!r} ({e}); define it in a file or module"
        ) from e
    tree = ast.parse(src)
    fdefs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if not fdefs:
        raise LiftError(f"{fn!r} is not a plain def function (lambdas and classes are not lifted)")
    fdef = fdefs[0]
    if hasattr(fn, "__code__"):
        ast.increment_lineno(fdef, fn.__code__.co_firstlineno - 1)
    return desugar(fdef)


def desugar(fdef: ast.FunctionDef) -> ast.FunctionDef:
    """``i = a; while i < b: ...; i += 1`` becomes ``for i in range(a, b)`` (the same loop)."""

    class W(ast.NodeTransformer):
        def visit_While(self, node: ast.While) -> Any:
            self.generic_visit(node)
            t = node.test
            ok = (
                isinstance(t, ast.Compare)
                and len(t.ops) == 1
                and isinstance(t.ops[0], ast.Lt)
                and isinstance(t.left, ast.Name)
                and node.body
                and not node.orelse
            )
            if ok:
                assert isinstance(t, ast.Compare) and isinstance(t.left, ast.Name)
                i = t.left.id
                last = node.body[-1]
                inc = (
                    isinstance(last, ast.AugAssign)
                    and isinstance(last.op, ast.Add)
                    and isinstance(last.target, ast.Name)
                    and last.target.id == i
                    and isinstance(last.value, ast.Constant)
                    and last.value.value == 1
                )
                others = [
                    n
                    for s in node.body[:-1]
                    for n in ast.walk(s)
                    if isinstance(n, ast.Name) and n.id == i and isinstance(n.ctx, ast.Store)
                ]
                bound = {n.id for n in ast.walk(t.comparators[0]) if isinstance(n, ast.Name)}
                stored = {
                    n.id
                    for s in node.body
                    for n in ast.walk(s)
                    if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
                }
                if inc and not others and not (bound & stored):
                    rng = ast.Call(
                        ast.Name("range", ast.Load()),
                        [ast.Name(i, ast.Load()), t.comparators[0]],
                        [],
                    )
                    loop = ast.For(
                        ast.Name(i, ast.Store()), rng, node.body[:-1] or [ast.Pass()], []
                    )
                    ast.copy_location(loop, node)
                    ast.fix_missing_locations(loop)
                    return loop
            raise LiftError(
                "while loop is not a counting loop `i = a; while i < b: ...; i += 1` "
                "with b unchanged in the body; rewrite it as a for loop",
                node.lineno,
            )

    return W().visit(fdef)


def infer_kinds(fdef: ast.FunctionDef) -> tuple[dict[str, int], set[str]]:
    """Rank of every parameter from how it is used (``x[i][j]`` makes a matrix), and which
    scalar parameters are sizes (appear in ``range``)."""
    rank: dict[str, int] = {}
    sizes: set[str] = set()
    indexish: set[str] = set()

    def sub_depth(n: ast.AST) -> tuple[str | None, int]:
        d = 0
        while isinstance(n, ast.Subscript):
            d += 1
            n = n.value
        return (n.id if isinstance(n, ast.Name) else None), d

    def bump(name: str | None, r: int) -> bool:
        if name is None or rank.get(name, 0) >= r:
            return False
        rank[name] = r
        return True

    def iter_names(it: ast.AST) -> list[ast.AST]:
        if (
            isinstance(it, ast.Call)
            and isinstance(it.func, ast.Name)
            and it.func.id in ("zip", "enumerate")
        ):
            return list(it.args)
        return [it]

    changed = True
    while changed:
        changed = False
        for n in ast.walk(fdef):
            if isinstance(n, ast.Subscript):
                nm, d = sub_depth(n)
                changed |= bump(nm, d)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
                if n.func.id in ("len", "sum") or (
                    n.func.id in ("max", "min") and len(n.args) == 1
                ):
                    for a in n.args:
                        nm, d = sub_depth(a)
                        changed |= bump(nm, d + 1)
                if n.func.id == "range":
                    sizes.update(
                        x.id for a in n.args for x in ast.walk(a) if isinstance(x, ast.Name)
                    )
            if isinstance(n, ast.Subscript):
                indexish.update(x.id for x in ast.walk(n.slice) if isinstance(x, ast.Name))
            if isinstance(n, (ast.For, ast.comprehension)):
                srcs = iter_names(n.iter)
                tgts = n.target.elts if isinstance(n.target, ast.Tuple) else [n.target]
                if isinstance(n.iter, ast.Call) and getattr(n.iter.func, "id", "") == "enumerate":
                    tgts = tgts[1:]
                for s, t in zip(srcs, tgts):
                    nm, d = sub_depth(s)
                    inner = rank.get(t.id, 0) if isinstance(t, ast.Name) else 0
                    changed |= bump(nm, d + 1 + inner)
            if (
                isinstance(n, ast.Assign)
                and len(n.targets) == 1
                and isinstance(n.targets[0], ast.Name)
            ):
                nm, d = sub_depth(n.value)
                if isinstance(n.value, (ast.Subscript, ast.Name)):
                    changed |= bump(nm, d + rank.get(n.targets[0].id, 0))
    params = [a.arg for a in fdef.args.args]
    kinds = {p: min(rank.get(p, 0), 2) for p in params}
    offsets = {p for p in indexish - sizes if kinds.get(p) == 0}
    return kinds, (sizes & set(params)) | {"@" + p for p in offsets}


class Frontend:
    def __init__(self, fdef: ast.FunctionDef) -> None:
        self.fdef = fdef
        self.kinds, self.sizes = infer_kinds(fdef)
        self.env: dict[str, Any] = {p: Val(Var(p, r)) for p, r in self.kinds.items()}
        self.nest: list[Axis] = []
        self.summaries: dict[int, LoopSummary] = {}
        self.reductions: dict[int, Val] = {}
        self._tags = itertools.count()
        self.line = fdef.lineno

    # -- errors ------------------------------------------------------------------
    def err(self, msg: str, node: ast.AST | None = None) -> LiftError:
        return LiftError(msg, getattr(node, "lineno", self.line))

    # -- broadcasting ------------------------------------------------------------
    def order(self, axes: set[Axis] | tuple[Axis, ...]) -> tuple[Axis, ...]:
        pos = {a: k for k, a in enumerate(self.nest)}
        return tuple(sorted(set(axes), key=lambda a: pos[a]))

    def align(
        self, v: Val, target: tuple[Axis, ...], sized: Axis | None = None, force: bool = False
    ) -> Val:
        if not v.axes and v.drank == 0 and not force:
            return v
        node, cur = v.node, list(v.axes)
        for k, a in enumerate(target):
            if k >= len(cur) or cur[k] != a:
                node = Expand(node, k, a.length if a == sized else None)
                cur.insert(k, a)
        if tuple(cur) != target:
            raise self.err("internal: cannot align loop axes")
        return Val(node, target)

    def binop(self, op: str, a: Any, b: Any, at: ast.AST) -> Val:
        a, b = self.val(a, at), self.val(b, at)
        if a.drank or b.drank:
            raise self.err(
                f"operator {op} applied to a whole list; index it (x[i]) or loop over it", at
            )
        u = self.order(set(a.axes) | set(b.axes))
        a, b = self.align(a, u), self.align(b, u)
        return Val(Bin(op, a.node, b.node), u)

    def val(self, v: Any, at: ast.AST) -> Val:
        if isinstance(v, Val):
            return v
        if isinstance(v, IdxVal):
            return Val(Arange(_ir.add(v.axis.lo, v.off), _ir.add(v.axis.hi, v.off)), (v.axis,))
        raise self.err(f"{type(v).__name__} used as a number", at)

    # -- expressions ---------------------------------------------------------------
    def ev(self, e: ast.expr) -> Any:
        self.line = getattr(e, "lineno", self.line)
        if isinstance(e, ast.Constant):
            if isinstance(e.value, (int, float)) and not isinstance(e.value, complex):
                return Val(Const(e.value))
            raise self.err(f"constant {e.value!r} is not a number", e)
        if isinstance(e, ast.Name):
            if e.id not in self.env:
                raise self.err(
                    f"name {e.id!r} is not a lifted variable here (globals, last-iteration "
                    f"values of loop temporaries, and modules are not lifted)",
                    e,
                )
            v = self.env[e.id]
            if isinstance(v, str):
                raise self.err(v, e)
            return v
        if isinstance(e, ast.BinOp):
            op = BINOPS.get(type(e.op))
            if op is None:
                raise self.err(f"operator {type(e.op).__name__} is not supported", e)
            if isinstance(e.op, ast.Mult) and isinstance(e.left, ast.List):
                return self.filled(e)
            a, b = self.ev(e.left), self.ev(e.right)
            # i + c, c + i, i - c with c independent of every loop index: still a plain slice
            if (
                op in ("add", "sub")
                and isinstance(a, IdxVal)
                and isinstance(b, Val)
                and not b.axes
                and not b.drank
            ):
                off = _ir.add(a.off, b.node) if op == "add" else _ir.sub(a.off, b.node)
                return IdxVal(a.axis, off)
            if (
                op == "add"
                and isinstance(b, IdxVal)
                and isinstance(a, Val)
                and not a.axes
                and not a.drank
            ):
                return IdxVal(b.axis, _ir.add(b.off, a.node))
            return self.binop(op, a, b, e)
        if isinstance(e, ast.UnaryOp):
            a = self.val(self.ev(e.operand), e)
            if isinstance(e.op, ast.UAdd):
                return a
            op = {ast.USub: "neg", ast.Not: "not"}.get(type(e.op))
            if op is None:
                raise self.err(f"unary {type(e.op).__name__} is not supported", e)
            if isinstance(a.node, Const) and op == "neg":
                return Val(Const(-a.node.value))
            return Val(Un(op, a.node), a.axes)
        if isinstance(e, ast.Compare):
            out = None
            left = e.left
            for cop, right in zip(e.ops, e.comparators):
                c = CMPOPS.get(type(cop))
                if c is None:
                    raise self.err(f"comparison {type(cop).__name__} is not supported", e)
                r = self.binop(c, self.ev(left), self.ev(right), e)
                out = r if out is None else self.binop("and", out, r, e)
                left = right
            return out
        if isinstance(e, ast.BoolOp):
            op = "and" if isinstance(e.op, ast.And) else "or"
            out = self.ev(e.values[0])
            for x in e.values[1:]:
                out = self.binop(op, out, self.ev(x), e)
            return out
        if isinstance(e, ast.IfExp):
            return self.where(self.ev(e.test), self.ev(e.body), self.ev(e.orelse), e)
        if isinstance(e, ast.Call):
            return self.call(e)
        if isinstance(e, ast.Subscript):
            return self.subscript(e)
        if isinstance(e, ast.List):
            if e.elts:
                raise self.err(
                    "list displays with elements are not lifted; build lists with a loop", e
                )
            return EmptyList()
        if isinstance(e, (ast.ListComp, ast.GeneratorExp)):
            return self.comprehension(e)
        raise self.err(f"{type(e).__name__} expressions are not supported", e)

    def filled(self, e: ast.BinOp) -> FilledList:
        lst = e.left
        assert isinstance(lst, ast.List)
        if len(lst.elts) != 1:
            raise self.err("only [c] * n list initialisers are supported", e)
        fill, n = self.val(self.ev(lst.elts[0]), e), self.val(self.ev(e.right), e)
        if fill.axes or n.axes or fill.drank:
            raise self.err("[c] * n needs a scalar c and n that do not depend on a loop index", e)
        return FilledList(fill, n.node)

    def where(self, c: Any, a: Any, b: Any, at: ast.AST) -> Val:
        c, a, b = self.val(c, at), self.val(a, at), self.val(b, at)
        if c.drank or a.drank or b.drank:
            raise self.err("if/else selecting between whole lists is not supported", at)
        u = self.order(set(c.axes) | set(a.axes) | set(b.axes))
        c, a, b = self.align(c, u), self.align(a, u), self.align(b, u)
        if a.node == b.node:
            return a
        return Val(Where(c.node, a.node, b.node), u)

    def call(self, e: ast.Call) -> Any:
        f = e.func
        if e.keywords:
            raise self.err("keyword arguments in calls are not supported", e)
        name = None
        if (
            isinstance(f, ast.Attribute)
            and isinstance(f.value, ast.Name)
            and f.value.id in ("math", "np", "numpy")
        ):
            name = f.attr
        elif isinstance(f, ast.Name):
            name = f.id
        if name in MATH_FUNCS and len(e.args) == 1:
            a = self.val(self.ev(e.args[0]), e)
            if a.drank:
                raise self.err(f"{name}() of a whole list; apply it per element", e)
            return Val(Un("abs" if name == "fabs" else name, a.node), a.axes)
        if name == "abs" and len(e.args) == 1:
            a = self.val(self.ev(e.args[0]), e)
            return Val(Un("abs", a.node), a.axes)
        if name == "float" and len(e.args) == 1:
            a = self.val(self.ev(e.args[0]), e)
            return Val(Un("float", a.node), a.axes)
        if name in ("max", "min") and len(e.args) >= 2:
            out = self.ev(e.args[0])
            for x in e.args[1:]:
                out = self.binop(name, out, self.ev(x), e)
            return out
        if name in ("sum", "max", "min") and len(e.args) == 1:
            xs = self.val(self.ev(e.args[0]), e)
            if xs.drank != 1:
                raise self.err(f"{name}() needs a list of numbers", e)
            init = {"sum": Const(0)}.get(name)
            r = Val(Reduce(name, xs.node, len(xs.axes), init), xs.axes)
            self.reductions[id(e)] = r
            return r
        if name == "len" and len(e.args) == 1:
            xs = self.ev(e.args[0])
            if isinstance(xs, FilledList):
                return Val(xs.length)
            xs = self.val(xs, e)
            if xs.drank < 1:
                raise self.err("len() of a number", e)
            d = xs.node.dims()[len(xs.axes)]
            if d is None:
                raise self.err("len() of a broadcast value", e)
            return Val(d)
        raise self.err(
            f"call to {ast.unparse(f)}() is not supported (supported: math.exp/log/sqrt/"
            f"sin/cos/tanh/floor/ceil, abs, min, max, sum, len, float)",
            e,
        )

    def subscript(self, e: ast.Subscript) -> Any:
        base = self.ev(e.value)
        if isinstance(e.slice, ast.Slice):
            if e.slice.step is not None:
                raise self.err("slices with a step are not supported", e)
            v = self.val(base, e)
            if v.drank < 1:
                raise self.err("slicing a number", e)
            d = len(v.axes)
            n = v.node.dims()[d] or Const(1)

            def bound(x: ast.expr | None, default: Node) -> Node:
                if x is None:
                    return default
                b = self.val(self.ev(x), e)
                if b.axes:
                    raise self.err("slice bounds that depend on a loop index are not supported", e)
                if isinstance(b.node, Const) and isinstance(b.node.value, int) and b.node.value < 0:
                    return _ir.add(n, b.node)
                return b.node

            return Val(
                Slice(v.node, d, bound(e.slice.lower, Const(0)), bound(e.slice.upper, n)), v.axes
            )
        return self.index(base, self.ev(e.slice), e)

    def index(self, base: Any, ix: Any, at: ast.AST) -> Any:
        if isinstance(base, ElemTarget):
            if isinstance(ix, IdxVal) and ix.axis == base.axis and ix.off == Const(0):
                return self.env[base.name + "[@]"]
            raise self.err(
                f"{base.name} is written as {base.name}[i] in this loop; other elements "
                f"cannot be read in it",
                at,
            )
        if isinstance(base, AppendTarget):
            raise self.err(f"{base.name} is read while a loop appends to it (a recurrence)", at)
        if isinstance(base, FilledList):
            if not isinstance(base.fill, Val) or base.fill.axes:
                raise self.err("reading a [[c] * m ...] matrix outside the loops that write it", at)
            base = Val(Expand(base.fill.node, 0, base.length))
        v = self.val(base, at)
        if v.drank < 1:
            raise self.err("indexing a number", at)
        d = len(v.axes)
        if isinstance(ix, IdxVal):
            a = ix.axis
            if a in v.axes:
                raise self.err(
                    "the same loop index used twice (x[i][i], a diagonal) is not supported", at
                )
            node: Node = Slice(v.node, d, _ir.add(a.lo, ix.off), _ir.add(a.hi, ix.off))
            cur = list(v.axes) + [a]
            tgt = self.order(tuple(cur))
            if tuple(cur) != tgt:
                perm = tuple(cur.index(x) for x in tgt) + tuple(range(len(cur), node.rank))
                node = Permute(node, perm)
            return Val(node, tgt)
        ix = self.val(ix, at)
        if ix.axes or ix.drank:
            raise self.err(
                "indirect or strided indexing (x[f(i)]) is not supported; index with the "
                "loop variable plus a constant",
                at,
            )
        return Val(Index(v.node, d, ix.node), v.axes)

    # -- loops -----------------------------------------------------------------------
    def new_axis(self, lo: Val, hi: Val, at: ast.AST) -> Axis:
        if lo.axes or hi.axes or lo.drank or hi.drank:
            raise self.err(
                "a loop range that depends on an outer loop index (a triangular loop) is "
                "not supported",
                at,
            )
        return Axis(f"L{next(self._tags)}", lo.node, hi.node)

    def iteration(self, target: ast.expr, it: ast.expr, at: ast.AST) -> tuple[Axis, dict[str, Any]]:
        """The axis a loop runs over and what its target names are bound to."""
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range":
            args = [self.val(self.ev(a), at) for a in it.args]
            if len(args) == 3:
                if not (isinstance(args[2].node, Const) and args[2].node.value == 1):
                    raise self.err("range() with a step other than 1 is not supported", at)
                args = args[:2]
            lo_v, hi_v = (Val(Const(0)), args[0]) if len(args) == 1 else args
            ax = self.new_axis(lo_v, hi_v, at)
            if not isinstance(target, ast.Name):
                raise self.err("for over range() needs a single name as target", at)
            return ax, {target.id: IdxVal(ax)}
        enum = (
            isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "enumerate"
        )
        zipped = isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "zip"
        srcs = list(it.args) if (enum or zipped) else [it]  # type: ignore[attr-defined]
        lists = [self.val(self.ev(s), at) for s in srcs]
        for lv in lists:
            if lv.drank < 1:
                raise self.err("for loop over a number", at)
        lens: list[Node] = []
        for lv in lists:
            dl = lv.node.dims()[len(lv.axes)]
            if dl is None:
                raise self.err("for loop over a broadcast value", at)
            if dl not in lens:
                lens.append(dl)
        hi: Node = lens[0]
        for dl in lens[1:]:
            hi = Bin("min", hi, dl)
        ax = self.new_axis(Val(Const(0)), Val(hi), at)
        self.nest.append(ax)
        try:
            elems = [self.index(lv, IdxVal(ax), at) for lv in lists]
        finally:
            self.nest.pop()
        names = target.elts if isinstance(target, ast.Tuple) else [target]
        vals: list[Any] = ([IdxVal(ax)] if enum else []) + elems
        if zipped or enum:
            if len(names) != len(vals):
                raise self.err("loop target does not match the zip()/enumerate() arity", at)
        elif len(names) != 1:
            raise self.err(
                "unpacking loop targets are only supported with zip() and enumerate()", at
            )
        out = {}
        for n, v in zip(names, vals):
            if not isinstance(n, ast.Name):
                raise self.err("loop targets must be names", at)
            out[n.id] = v
        return ax, out

    def run_loop(
        self,
        at: ast.AST,
        ax: Axis,
        binds: dict[str, Any],
        body: Callable[[], None],
        stores: set[str],
        appends: set[str],
    ) -> None:
        env0 = self.env
        env = dict(env0)
        state = [n for n in sorted(stores) if n in env0 and n not in binds]
        lists = [n for n in sorted(appends) if n in env0]
        syms: dict[str, str] = {}
        kinds: dict[str, str] = {}
        for n in state:
            v = env0[n]
            if not isinstance(v, Val) or v.drank:
                raise self.err(
                    f"{n} is reassigned in the loop but is not a number; lists must be "
                    f"built with append or x[i] = ...",
                    at,
                )
            syms[n] = f"{n}#{ax.tag}"
            env[n] = Val(Sym(syms[n], len(v.axes)), v.axes)
        lists = [n for n in lists if not isinstance(env0[n], ElemTarget)]  # an outer loop's
        for n in lists:
            v = env0[n]
            if isinstance(v, EmptyList):
                env[n] = AppendTarget(n)
                kinds[n] = "append"
            elif isinstance(v, FilledList):
                if not (ax.lo == Const(0) and ax.hi == v.length):
                    raise self.err(
                        f"{n}[i] = ... must run over the whole list: the loop range must be "
                        f"range(len) of the list created as [c] * len",
                        at,
                    )
                env[n] = ElemTarget(n, ax, v.length)
                env[n + "[@]"] = v.fill
                kinds[n] = "elem"
            else:
                raise self.err(
                    f"{n} is modified in the loop but was not created as [] or [c] * n "
                    f"just before it",
                    at,
                )
        env.update(binds)
        self.env = env
        self.nest.append(ax)
        try:
            body()
        finally:
            self.nest.pop()
            self.env = env0
        posts: dict[str, Val] = {}
        dead: set[str] = set()
        from opportune.lift._synth import classify_accumulator

        for n in state:
            f = env[n]
            P = Val(Sym(syms[n], len(env0[n].axes)), env0[n].axes)
            if isinstance(f, Val) and f.node == P.node:
                continue
            if not isinstance(f, Val) or not _mentions(f.node, syms[n]):
                dead.add(n)
                continue
            op, e = classify_accumulator(self, f, P, ax, n, at)
            if any(_mentions(e.node, s) for s in syms.values()):
                raise self.err(
                    f"{n} is updated from another variable's running value (a scan); "
                    f"only independent reductions are lifted",
                    at,
                )
            t = self.order_with(set(e.axes) - {ax} | set(P.axes), ax)
            e2 = self.align_in(e, t + (ax,), ax)
            init = self.align_in(P, t, None)
            posts[n] = Val(Reduce(op, e2.node, len(t), init.node, ax.tag), t)
            kinds[n] = "acc"
        for n in lists:
            if kinds[n] == "append":
                v = env.get(n + ".append")
                if v is None:
                    raise self.err(f"loop is expected to append to {n} once per iteration", at)
            else:
                v = env[n + "[@]"]
                if isinstance(v, FilledList) and isinstance(v.fill, Val):  # a row never written
                    v = Val(Expand(v.fill.node, 0, v.length))
            v = self.val(v, at)
            scan = self.running_value(v, env, posts, state)
            if scan is not None:
                posts[n] = scan
                continue
            for s in syms.values():
                if _mentions(v.node, s):
                    raise self.err(
                        f"{n} receives a running value of the loop other than an accumulator "
                        f"right after its update (an exclusive or transformed scan); only "
                        f"inclusive running sums/products/max/min are lifted",
                        at,
                    )
            t = self.order_with(set(v.axes) - {ax}, ax)
            posts[n] = Val(self.align_in(v, t + (ax,), ax, force=True).node, t)
        # what the rest of the function sees: placeholders replaced by the entry values
        sub: dict[Node, Node] = {Sym(syms[n], len(env0[n].axes)): env0[n].node for n in state}
        for n, p in posts.items():
            self.env[n] = Val(p.node.replace(sub), p.axes)
        for n in dead:
            self.env[n] = f"{n} holds the value of the last loop iteration, which is not lifted"
        self.summaries[id(at)] = LoopSummary(ax, syms, kinds, posts, dead)

    def running_value(
        self, v: Val, env: dict[str, Any], posts: dict[str, Val], state: list[str]
    ) -> Val | None:
        """A list that receives an accumulator right after its update is its running fold
        (``s += x; out.append(s)`` is a prefix sum)."""
        for s in state:
            post = posts.get(s)
            if post is None or not isinstance(post.node, Reduce):
                continue
            if isinstance(env.get(s), Val) and env[s].node == v.node:
                r = post.node
                return Val(Scan(r.op, r.x, r.d, r.init, r.tag), post.axes)
        return None

    def order_with(self, axes: set[Axis], extra: Axis) -> tuple[Axis, ...]:
        self.nest.append(extra)
        try:
            return self.order(axes)
        finally:
            self.nest.pop()

    def align_in(
        self, v: Val, target: tuple[Axis, ...], sized: Axis | None, force: bool = True
    ) -> Val:
        nest = list(self.nest)
        for a in target:
            if a not in self.nest:
                self.nest.append(a)
        try:
            if sized is None and not v.axes and v.drank == 0:
                return v
            return self.align(v, target, sized, force)
        finally:
            self.nest = nest

    def comprehension(self, e: ast.ListComp | ast.GeneratorExp) -> Val:
        if len(e.generators) != 1:
            raise self.err(
                "comprehensions with several for clauses are not supported; nest them", e
            )
        g = e.generators[0]
        if g.ifs:
            raise self.err("comprehension filters (if clauses) change the length; not lifted", e)
        if g.is_async:
            raise self.err("async comprehensions are not lifted", e)
        key = f"__comp{id(e)}"
        ax, binds = self.iteration(g.target, g.iter, e)
        if isinstance(e, ast.ListComp) and _is_fill(e.elt) and not _uses(e.elt, binds):
            row = self.ev(e.elt)  # [[c] * m for _ in range(n)]: a matrix to overwrite
            return FilledList(row, ax.length)  # type: ignore[return-value]
        self.env[key] = EmptyList()

        def body() -> None:
            self.env[key + ".append"] = self.ev(e.elt)

        try:
            self.run_loop(e, ax, binds, body, set(), {key})
            return self.env[key]
        finally:
            self.env.pop(key, None)

    # -- statements ------------------------------------------------------------------
    def block(self, stmts: list[ast.stmt]) -> None:
        for s in stmts:
            self.stmt(s)

    def assign(self, target: ast.expr, value: Any, at: ast.stmt) -> None:
        if isinstance(target, ast.Name):
            cur = self.env.get(target.id)
            if isinstance(cur, (AppendTarget, ElemTarget)):
                raise self.err(f"{target.id} is rebound while a loop builds it", at)
            self.env[target.id] = value
            return
        if isinstance(target, ast.Subscript):
            chain: list[ast.expr] = []
            t: ast.expr = target
            while isinstance(t, ast.Subscript):
                chain.append(t.slice)
                t = t.value
            key = t.id if isinstance(t, ast.Name) else ""
            ok = bool(key)
            for sl in reversed(chain):
                cur = self.env.get(key)
                ix = self.ev(sl) if isinstance(cur, ElemTarget) else None
                if not (isinstance(ix, IdxVal) and ix.axis == cur.axis and ix.off == Const(0)):  # type: ignore[union-attr]
                    ok = False
                    break
                key += "[@]"
            if ok:
                v = self.val(value, at)
                if v.drank:
                    raise self.err("assigning a list to a list element", at)
                self.env[key] = v
                return
            raise self.err(
                "element assignment must be out[i] = ... (or out[i][j] = ...) with i (and j) the "
                "indices of loops over the whole list, created as [c] * n (or "
                "[[c] * m for _ in range(n)])",
                at,
            )
        raise self.err(f"assignment to {ast.unparse(target)} is not supported", at)

    def stmt(self, s: ast.stmt) -> None:
        self.line = s.lineno
        if isinstance(s, ast.Expr):
            if isinstance(s.value, ast.Constant) and isinstance(s.value.value, str):
                return
            c = s.value
            if (
                isinstance(c, ast.Call)
                and isinstance(c.func, ast.Attribute)
                and c.func.attr == "append"
                and isinstance(c.func.value, ast.Name)
                and len(c.args) == 1
            ):
                tgt = self.env.get(c.func.value.id)
                if not isinstance(tgt, AppendTarget):
                    raise self.err(
                        f"append to {c.func.value.id} outside a loop that builds it from []", s
                    )
                if tgt.name + ".append" in self.env:
                    raise self.err(f"{tgt.name} is appended to twice in one iteration", s)
                self.env[tgt.name + ".append"] = self.ev(c.args[0])
                return
            raise self.err(f"statement {ast.unparse(s)[:40]!r} is not supported", s)
        if isinstance(s, ast.Assign):
            if len(s.targets) != 1:
                raise self.err("chained assignment is not supported", s)
            t = s.targets[0]
            if isinstance(t, ast.Tuple):
                if not isinstance(s.value, ast.Tuple) or len(s.value.elts) != len(t.elts):
                    raise self.err("tuple assignment needs a tuple of the same length", s)
                vals = [self.ev(x) for x in s.value.elts]
                for tt, vv in zip(t.elts, vals):
                    self.assign(tt, vv, s)
                return
            self.assign(t, self.ev(s.value), s)
            return
        if isinstance(s, ast.AnnAssign) and s.value is not None:
            self.assign(s.target, self.ev(s.value), s)
            return
        if isinstance(s, ast.AugAssign):
            op = BINOPS.get(type(s.op))
            if op is None:
                raise self.err(f"augmented operator {type(s.op).__name__} is not supported", s)
            load = ast.copy_location(_as_load(s.target), s)
            self.assign(s.target, self.binop(op, self.ev(load), self.ev(s.value), s), s)
            return
        if isinstance(s, ast.For):
            if s.orelse:
                raise self.err("for ... else is not supported", s)
            ax, binds = self.iteration(s.target, s.iter, s)
            stores, appends = _effects(s.body)
            self.run_loop(s, ax, binds, lambda: self.block(s.body), stores, appends)
            return
        if isinstance(s, ast.If):
            c = self.ev(s.test)
            env0 = self.env
            self.env = dict(env0)
            self.block(s.body)
            e1 = self.env
            self.env = dict(env0)
            self.block(s.orelse)
            e2 = self.env
            self.env = env0
            for k in set(e1) | set(e2):
                a, b = e1.get(k), e2.get(k)
                if a is b:
                    self.env[k] = a
                    continue
                if k.endswith(".append") and (a is None or b is None):
                    raise self.err(
                        f"append to {k[:-7]} under an if (a filter) changes the length; "
                        f"not lifted (use a conditional expression instead)",
                        s,
                    )
                if a is None or b is None:
                    self.env[k] = f"{k} is only assigned on one branch of the if at line {s.lineno}"
                    continue
                if (
                    isinstance(a, Val)
                    and a.drank == 0
                    and isinstance(b, Val)
                    and b.drank == 0
                    or isinstance(a, IdxVal)
                    or isinstance(b, IdxVal)
                ):
                    self.env[k] = self.where(c, a, b, s)
                elif a == b:
                    self.env[k] = a
                else:
                    raise self.err(f"{k} is bound to different lists on the two branches", s)
            return
        if isinstance(s, ast.Pass):
            return
        if isinstance(s, ast.Return):
            raise self.err("return is only supported as the last statement of the function", s)
        names = {ast.Break: "break", ast.Continue: "continue", ast.While: "while"}
        raise self.err(f"{names.get(type(s), type(s).__name__)} statements are not supported", s)

    def function(self) -> Translation:
        body = list(self.fdef.body)
        if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None:
            raise self.err("the function must end with `return <value>`", self.fdef)
        if self.fdef.args.vararg or self.fdef.args.kwarg or self.fdef.args.kwonlyargs:
            raise self.err(
                "*args, **kwargs and keyword-only parameters are not supported", self.fdef
            )
        if self.fdef.args.defaults:
            raise self.err("parameters with default values are not supported", self.fdef)
        self.block(body[:-1])
        ret = body[-1].value
        is_tuple = isinstance(ret, ast.Tuple)
        outs = []
        for r in ret.elts if isinstance(ret, ast.Tuple) else [ret]:
            v = self.ev(r)
            if isinstance(v, (EmptyList, FilledList)):
                raise self.err("returning a list that no loop builds is not lifted", body[-1])
            outs.append(self.val(v, body[-1]))
        return Translation(
            self.fdef.name,
            list(self.kinds),
            self.kinds,
            self.sizes,
            outs,
            is_tuple,
            self.fdef,
            self.summaries,
            self.reductions,
        )


def _as_load(t: ast.expr) -> ast.expr:
    src = ast.parse(ast.unparse(t), mode="eval").body
    return ast.fix_missing_locations(ast.copy_location(src, t))


def _effects(stmts: list[ast.stmt]) -> tuple[set[str], set[str]]:
    stores, appends = set(), set()
    for s in stmts:
        for n in ast.walk(s):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                stores.add(n.id)
            if isinstance(n, (ast.Assign, ast.AugAssign)):
                for t in n.targets if isinstance(n, ast.Assign) else [n.target]:
                    depth = 0
                    while isinstance(t, ast.Subscript):
                        depth, t = depth + 1, t.value
                    if depth and isinstance(t, ast.Name):
                        # c[i][j] = ... writes list c, row "c[@]" and element "c[@][@]"
                        for d in range(depth):
                            appends.add(t.id + "[@]" * d)
                        stores.add(t.id + "[@]" * depth)
            if (
                isinstance(n, ast.Call)
                and isinstance(n.func, ast.Attribute)
                and n.func.attr == "append"
                and isinstance(n.func.value, ast.Name)
            ):
                appends.add(n.func.value.id)
    return stores, appends


def _is_fill(e: ast.expr) -> bool:
    return isinstance(e, ast.BinOp) and isinstance(e.op, ast.Mult) and isinstance(e.left, ast.List)


def _uses(e: ast.expr, names: dict[str, Any]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(e))


def _mentions(node: Node, sym: str) -> bool:
    return any(isinstance(n, Sym) and n.name == sym for n in node.walk())


def lift_ast(fn: Callable[..., Any]) -> Translation:
    fdef = parse_function(fn)
    return Frontend(fdef).function()


__all__ = ["Axis", "LoopSummary", "Translation", "Val", "infer_kinds", "lift_ast", "parse_function"]
