"""TensIR: a small tensor language that lifted loops are translated into.

Every node is a frozen dataclass (so structurally equal expressions are equal and hashable,
which the verifier relies on to give one reduction one SMT function).  A node knows three
things about itself:

* ``ev(env)``: its value on concrete NumPy arrays, used to test candidates;
* ``emit(B, *kids)``: its source text for a back end ``B`` (NumPy, PyTorch, JAX);
* ``z3(Z, idx)``: its element at symbolic indices ``idx`` as a z3 term, used for proofs.

Dimensions are positional; loop indices are a front-end notion (see ``_frontend``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

ARITH = {"add", "sub", "mul", "div", "floordiv", "mod", "pow", "max", "min"}
CMP = {"lt", "le", "gt", "ge", "eq", "ne"}
LOGIC = {"and", "or"}
UNARY = {"neg", "abs", "not", "exp", "log", "sqrt", "sin", "cos", "tanh", "floor", "ceil", "float"}
REDUCE_OPS = ("sum", "prod", "max", "min")


class Node:
    """Base class of TensIR expressions."""

    rank: int

    def kids(self) -> tuple[Node, ...]:
        return ()

    def dims(self) -> tuple[Node | None, ...]:  # None: a broadcast (size-1) dimension
        raise NotImplementedError

    def ev(self, env: dict[str, Any]) -> Any:
        raise NotImplementedError

    def emit(self, B: Backend, *k: str) -> str:
        raise NotImplementedError

    def z3(self, Z: Any, idx: list[Any]) -> Any:
        raise NotImplementedError

    def lower(self) -> Node:
        """The node in core TensIR (variations such as ``Einsum`` lower to Reduce/Bin)."""
        return self

    def walk(self):  # pre-order
        yield self
        for k in self.kids():
            yield from k.walk()

    def replace(self, mapping: dict[Node, Node]) -> Node:
        if self in mapping:
            return mapping[self]
        return self._rebuild(tuple(k.replace(mapping) for k in self.kids()))

    def _rebuild(self, kids: tuple[Node, ...]) -> Node:
        return self


def _k(Z, n: Node, idx: list) -> Any:
    return n.z3(Z, idx if n.rank else [])


def _dim_len(d: Node | None) -> Node:
    return d if d is not None else Const(1)


@dataclass(frozen=True)
class Var(Node):
    """A parameter of the lifted function (scalar, vector, or matrix of rows)."""

    name: str
    rank: int = 0

    def dims(self):
        return tuple(Len(self, d) for d in range(self.rank))

    def ev(self, env):
        return env[self.name]

    def emit(self, B, *k):
        return self.name

    def z3(self, Z, idx):
        return Z.param_elem(self.name, idx)


@dataclass(frozen=True)
class Sym(Node):
    """A placeholder for a loop-carried value at loop entry (never in generated code)."""

    name: str
    rank: int = 0

    def dims(self):
        return (None,) * self.rank

    def ev(self, env):
        return env[self.name]

    def emit(self, B, *k):
        return self.name

    def z3(self, Z, idx):
        return Z.sym(self.name)


@dataclass(frozen=True)
class Const(Node):
    value: Any
    rank: int = 0

    def dims(self):
        return ()

    def ev(self, env):
        return self.value

    def emit(self, B, *k):
        return repr(self.value)

    def z3(self, Z, idx):
        return Z.const(self.value)


@dataclass(frozen=True)
class Len(Node):
    """Length of dimension ``d`` of a parameter (rows are assumed rectangular)."""

    x: Var
    d: int = 0
    rank: int = 0

    def kids(self):
        return (self.x,)

    def _rebuild(self, kids):
        return Len(kids[0], self.d)  # type: ignore[arg-type]

    def dims(self):
        return ()

    def ev(self, env):
        return np.shape(env[self.x.name])[self.d]

    def emit(self, B, *k):
        return f"{k[0]}.shape[{self.d}]"

    def z3(self, Z, idx):
        return Z.to_real(Z.param_len(self.x.name, self.d))


@dataclass(frozen=True)
class Index(Node):
    """``x[i]`` along dimension ``d`` with a scalar index (Python's negative indices)."""

    x: Node
    d: int
    i: Node

    @property
    def rank(self):  # type: ignore[override]
        return self.x.rank - 1

    def kids(self):
        return (self.x, self.i)

    def _rebuild(self, kids):
        return Index(kids[0], self.d, kids[1])

    def dims(self):
        ds = self.x.dims()
        return ds[: self.d] + ds[self.d + 1 :]

    def ev(self, env):
        return np.take(self.x.ev(env), int(self.i.ev(env)), axis=self.d)

    def emit(self, B, *k):
        return f"{k[0]}[{':, ' * self.d}int({k[1]})]"

    def z3(self, Z, idx):
        i = Z.to_int(self.i.z3(Z, []))
        n = Z.to_int(_dim_len(self.x.dims()[self.d]).z3(Z, []))
        w = Z.If(i < 0, i + n, i)
        return self.x.z3(Z, idx[: self.d] + [w] + idx[self.d :])


@dataclass(frozen=True)
class Slice(Node):
    """``x[lo:hi]`` along dimension ``d``; generated code checks ``0 <= lo <= hi <= len``."""

    x: Node
    d: int
    lo: Node
    hi: Node

    @property
    def rank(self):  # type: ignore[override]
        return self.x.rank

    def kids(self):
        return (self.x, self.lo, self.hi)

    def _rebuild(self, kids):
        return Slice(kids[0], self.d, kids[1], kids[2])

    def dims(self):
        ds = list(self.x.dims())
        ds[self.d] = sub(self.hi, self.lo)
        return tuple(ds)

    def ev(self, env):
        x = self.x.ev(env)
        lo, hi = int(self.lo.ev(env)), int(self.hi.ev(env))
        if not (0 <= lo <= hi <= np.shape(x)[self.d]):
            from opportune.lift._errors import Fallback

            raise Fallback("slice out of range")
        return x[(slice(None),) * self.d + (slice(lo, hi),)]

    def emit(self, B, *k):
        return f"_sl({k[0]}, {self.d}, {k[1]}, {k[2]})"

    def z3(self, Z, idx):
        lo = Z.to_int(self.lo.z3(Z, []))
        hi = Z.to_int(self.hi.z3(Z, []))
        n = Z.to_int(_dim_len(self.x.dims()[self.d]).z3(Z, []))
        Z.guard(Z.And(0 <= lo, lo <= hi, hi <= n))
        j = list(idx)
        j[self.d] = j[self.d] + lo
        return self.x.z3(Z, j)


@dataclass(frozen=True)
class Arange(Node):
    """The loop index itself as a vector: ``lo, lo+1, ..., hi-1``."""

    lo: Node
    hi: Node
    rank: int = 1

    def kids(self):
        return (self.lo, self.hi)

    def _rebuild(self, kids):
        return Arange(kids[0], kids[1])

    def dims(self):
        return (sub(self.hi, self.lo),)

    def ev(self, env):
        lo, hi = int(self.lo.ev(env)), int(self.hi.ev(env))
        if lo > hi:
            from opportune.lift._errors import Fallback

            raise Fallback("empty range")
        return np.arange(lo, hi)

    def emit(self, B, *k):
        return f"_ar({k[0]}, {k[1]})"

    def z3(self, Z, idx):
        lo = Z.to_int(self.lo.z3(Z, []))
        hi = Z.to_int(self.hi.z3(Z, []))
        Z.guard(lo <= hi)
        return Z.to_real(lo + idx[0])


def _merge_dims(a: Node, b: Node) -> tuple[Node | None, ...]:
    da, db = a.dims(), b.dims()
    if len(da) != len(db):  # scalar operand
        return da if len(da) > len(db) else db
    return tuple(x if x is not None else y for x, y in zip(da, db))


@dataclass(frozen=True)
class Bin(Node):
    """Elementwise binary operation with broadcasting (arithmetic, comparison, logic)."""

    op: str
    a: Node
    b: Node

    @property
    def rank(self):  # type: ignore[override]
        return max(self.a.rank, self.b.rank)

    def kids(self):
        return (self.a, self.b)

    def _rebuild(self, kids):
        return Bin(self.op, kids[0], kids[1])

    def dims(self):
        return _merge_dims(self.a, self.b)

    def ev(self, env):
        a, b = self.a.ev(env), self.b.ev(env)
        return _NP_BIN[self.op](np.asarray(a), np.asarray(b))

    def emit(self, B, *k):
        return B.bin(self.op, k[0], k[1])

    def z3(self, Z, idx):
        return Z.bin(self.op, _k(Z, self.a, idx), _k(Z, self.b, idx))


_NP_BIN = {
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.true_divide,
    "floordiv": np.floor_divide,
    "mod": np.mod,
    "pow": np.power,
    "max": np.maximum,
    "min": np.minimum,
    "lt": np.less,
    "le": np.less_equal,
    "gt": np.greater,
    "ge": np.greater_equal,
    "eq": np.equal,
    "ne": np.not_equal,
    "and": np.logical_and,
    "or": np.logical_or,
}
_NP_UN = {
    "neg": np.negative,
    "abs": np.abs,
    "not": np.logical_not,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "sin": np.sin,
    "cos": np.cos,
    "tanh": np.tanh,
    "floor": np.floor,
    "ceil": np.ceil,
    "float": lambda x: np.asarray(x, dtype=float),
}


@dataclass(frozen=True)
class Un(Node):
    """A unary function mapped over every element (``math.exp``, ``abs``, negation...)."""

    op: str
    a: Node

    @property
    def rank(self):  # type: ignore[override]
        return self.a.rank

    def kids(self):
        return (self.a,)

    def _rebuild(self, kids):
        return Un(self.op, kids[0])

    def dims(self):
        return self.a.dims()

    def ev(self, env):
        return _NP_UN[self.op](np.asarray(self.a.ev(env)))

    def emit(self, B, *k):
        return B.un(self.op, k[0])

    def z3(self, Z, idx):
        return Z.un(self.op, _k(Z, self.a, idx))


@dataclass(frozen=True)
class Where(Node):
    """Selection: ``a`` where ``c`` holds, else ``b`` (from ``if``/``else``)."""

    c: Node
    a: Node
    b: Node

    @property
    def rank(self):  # type: ignore[override]
        return max(self.c.rank, self.a.rank, self.b.rank)

    def kids(self):
        return (self.c, self.a, self.b)

    def _rebuild(self, kids):
        return Where(*kids)

    def dims(self):
        best = max((self.c, self.a, self.b), key=lambda n: n.rank)
        ds = list(best.dims())
        for n in (self.c, self.a, self.b):
            if n.rank == len(ds):
                ds = [x if x is not None else y for x, y in zip(ds, n.dims())]
        return tuple(ds)

    def ev(self, env):
        return np.where(self.c.ev(env), self.a.ev(env), self.b.ev(env))

    def emit(self, B, *k):
        return (
            f"{B.m}.where({k[0]}, {k[1]}, {k[2]})"
            if B.m != "torch"
            else (f"torch.where(_t({k[0]}), _t({k[1]}), _t({k[2]}))")
        )

    def z3(self, Z, idx):
        return Z.where(_k(Z, self.c, idx), _k(Z, self.a, idx), _k(Z, self.b, idx))


@dataclass(frozen=True)
class Expand(Node):
    """Broadcast: insert dimension ``d``; with ``size`` it is materialised to that length
    (needed when the new dimension is reduced over or becomes a list)."""

    x: Node
    d: int
    size: Node | None = None

    @property
    def rank(self):  # type: ignore[override]
        return self.x.rank + 1

    def kids(self):
        return (self.x,) if self.size is None else (self.x, self.size)

    def _rebuild(self, kids):
        return Expand(kids[0], self.d, kids[1] if len(kids) > 1 else None)

    def dims(self):
        ds = list(self.x.dims()) + [None] * (self.x.rank - len(self.x.dims()))
        return tuple(ds[: self.d] + [self.size] + ds[self.d :])

    def ev(self, env):
        x = np.expand_dims(np.asarray(self.x.ev(env)), self.d)
        if self.size is None:
            return x
        n = int(self.size.ev(env))
        if n < 0:
            from opportune.lift._errors import Fallback

            raise Fallback("negative size")
        return np.repeat(x, n, axis=self.d)

    def emit(self, B, *k):
        if self.size is None:
            return B.expand(k[0], self.d)
        return f"_bc({k[0]}, {self.d}, {k[1]})"

    def z3(self, Z, idx):
        if self.size is not None:
            Z.guard(Z.to_int(self.size.z3(Z, [])) >= 0)
        return self.x.z3(Z, idx[: self.d] + idx[self.d + 1 :])


@dataclass(frozen=True)
class Permute(Node):
    """Transpose: output dimension ``k`` is input dimension ``perm[k]``."""

    x: Node
    perm: tuple[int, ...]

    @property
    def rank(self):  # type: ignore[override]
        return self.x.rank

    def kids(self):
        return (self.x,)

    def _rebuild(self, kids):
        return Permute(kids[0], self.perm)

    def dims(self):
        ds = self.x.dims()
        return tuple(ds[p] for p in self.perm)

    def ev(self, env):
        return np.transpose(self.x.ev(env), self.perm)

    def emit(self, B, *k):
        return B.permute(k[0], self.perm)

    def z3(self, Z, idx):
        inner = [None] * len(idx)
        for k, p in enumerate(self.perm):
            inner[p] = idx[k]
        return self.x.z3(Z, inner)


@dataclass(frozen=True)
class Reduce(Node):
    """Fold ``op`` over dimension ``d`` of ``x``, starting from ``init`` when given.

    With an ``init`` the value of an empty fold is ``init`` (like the accumulator a loop
    starts from); without one an empty fold is an error, as ``max([])`` is in Python.
    ``tag`` names the loop the fold came from; it only matters to the verifier.
    """

    op: str
    x: Node
    d: int
    init: Node | None = None
    tag: str = field(default="", compare=True)

    @property
    def rank(self):  # type: ignore[override]
        return self.x.rank - 1

    def kids(self):
        return (self.x,) if self.init is None else (self.x, self.init)

    def _rebuild(self, kids):
        return Reduce(self.op, kids[0], self.d, kids[1] if len(kids) > 1 else None, self.tag)

    def dims(self):
        ds = self.x.dims()
        return ds[: self.d] + ds[self.d + 1 :]

    def ev(self, env):
        x = np.asarray(self.x.ev(env))
        init = None if self.init is None else self.init.ev(env)
        return _reduce_np(self.op, x, self.d, init)

    def emit(self, B, *k):
        init = k[1] if self.init is not None else "None"
        return f"_red_{self.op}({k[0]}, {self.d}, {init})"

    def z3(self, Z, idx):
        return Z.reduce(self, idx)


@dataclass(frozen=True)
class Scan(Node):
    """Running fold: element ``t`` along ``d`` is the fold of ``x[0..t]`` (from ``init``).

    It is what a list receives when a loop appends its accumulator after each update
    (``s += x; out.append(s)``); the fold function is the one ``Reduce`` uses, so proofs share
    the prefix lemma."""

    op: str
    x: Node
    d: int
    init: Node | None = None
    tag: str = ""

    @property
    def rank(self):  # type: ignore[override]
        return self.x.rank

    def kids(self):
        return (self.x,) if self.init is None else (self.x, self.init)

    def _rebuild(self, kids):
        return Scan(self.op, kids[0], self.d, kids[1] if len(kids) > 1 else None, self.tag)

    def dims(self):
        return self.x.dims()

    def ev(self, env):
        x = np.asarray(self.x.ev(env))
        acc = {
            "sum": np.cumsum,
            "prod": np.cumprod,
            "max": np.maximum.accumulate,
            "min": np.minimum.accumulate,
        }[self.op](x, axis=self.d)
        if self.init is None:
            return acc
        init = np.asarray(self.init.ev(env))
        if init.ndim:
            init = np.expand_dims(init, self.d)
        comb = {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}
        return comb[self.op](init, acc)

    def emit(self, B, *k):
        init = k[1] if self.init is not None else "None"
        return f"_scan_{self.op}({k[0]}, {self.d}, {init})"

    def z3(self, Z, idx):
        return Z.scan(self, idx)


def _reduce_np(op, x, d, init):
    from opportune.lift._errors import Fallback

    if x.shape[d] == 0:
        if init is None:
            raise Fallback("empty reduction")
        return np.broadcast_to(init, x.shape[:d] + x.shape[d + 1 :]) + 0
    r = {"sum": np.sum, "prod": np.prod, "max": np.max, "min": np.min}[op](x, axis=d)
    if init is None:
        return r
    return {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}[op](init, r)


@dataclass(frozen=True)
class Einsum(Node):
    """A sum of products recognised as a contraction (dot, matrix-vector, matrix product).

    ``lowered`` is the core form it was recognised from; proofs are about that form, and the
    variation is kept only when random tests agree with the original function."""

    spec: str
    ops: tuple[Node, ...]
    lowered: Node

    @property
    def rank(self):  # type: ignore[override]
        return self.lowered.rank

    def kids(self):
        return self.ops

    def _rebuild(self, kids):
        return Einsum(self.spec, kids, self.lowered)

    def dims(self):
        return self.lowered.dims()

    def lower(self):
        return self.lowered

    def replace(self, mapping: dict[Node, Node]) -> Node:
        if self in mapping:
            return mapping[self]
        return Einsum(
            self.spec, tuple(o.replace(mapping) for o in self.ops), self.lowered.replace(mapping)
        )

    def ev(self, env):
        return np.einsum(self.spec, *[np.asarray(o.ev(env)) for o in self.ops])

    def emit(self, B, *k):
        return B.einsum(self.spec, k)

    def z3(self, Z, idx):
        """The fold of ``lowered``, once SMT shows the contraction's products are its elements.

        Two folds with the same operator over pointwise-equal sequences are equal, so the
        side obligation ``ops-product(p) == lowered.x(p)`` (for a fresh position ``p``) is
        what ties the emitted ``einsum``/``@`` to the proved sum of products."""
        low = self.lowered
        assert isinstance(low, Reduce)
        ins, out = self.spec.split("->")
        p = Z.fresh("p", _z3().IntSort())
        where = dict(zip(out, idx))
        (c,) = [ch for ch in ins.replace(",", "") if ch not in out][:1] or ["?"]
        where[c] = p
        prod = None
        for letters, op in zip(ins.split(","), self.ops):
            v = op.z3(Z, [where[ch] for ch in letters])
            prod = v if prod is None else prod * v
        pos = list(idx[: low.d]) + [p] + list(idx[low.d :])
        Z.obligation(
            f"{self.spec} contraction matches the sum of products", prod == low.x.z3(Z, pos)
        )
        return low.z3(Z, idx)


_SYM = {
    "add": "+",
    "sub": "-",
    "mul": "*",
    "div": "/",
    "floordiv": "//",
    "mod": "%",
    "pow": "**",
    "lt": "<",
    "le": "<=",
    "gt": ">",
    "ge": ">=",
    "eq": "==",
    "ne": "!=",
    "and": "and",
    "or": "or",
}


def pretty(n: Node) -> str:
    """Python-like text of an expression, for error messages (loop slices print as ``x[i]``)."""
    if isinstance(n, Var):
        return n.name
    if isinstance(n, Sym):
        return n.name.split("#")[0]
    if isinstance(n, Const):
        return repr(n.value)
    if isinstance(n, Len):
        return f"len({pretty(n.x)})"
    if isinstance(n, (Slice, Index)):
        return f"{pretty(n.x)}[{'i' if isinstance(n, Slice) else pretty(n.i)}]"
    if isinstance(n, (Expand, Permute)):
        return pretty(n.x)
    if isinstance(n, Arange):
        return "i"
    if isinstance(n, Bin):
        if n.op in _SYM:
            return f"({pretty(n.a)} {_SYM[n.op]} {pretty(n.b)})"
        return f"{n.op}({pretty(n.a)}, {pretty(n.b)})"
    if isinstance(n, Un):
        return f"-{pretty(n.a)}" if n.op == "neg" else f"{n.op}({pretty(n.a)})"
    if isinstance(n, Where):
        return f"({pretty(n.a)} if {pretty(n.c)} else {pretty(n.b)})"
    if isinstance(n, Reduce):
        return f"{n.op}({pretty(n.x)})"
    return type(n).__name__


def simplify(n: Node) -> Node:
    """Fold the identities that substituting an accumulator's identity leaves behind."""
    n = n._rebuild(tuple(simplify(k) for k in n.kids()))
    if isinstance(n, Bin):
        a, b = n.a, n.b
        zero = lambda x: isinstance(x, Const) and not isinstance(x.value, bool) and x.value == 0
        one = lambda x: isinstance(x, Const) and not isinstance(x.value, bool) and x.value == 1
        if n.op == "add" and zero(a) and b.rank >= a.rank and not isinstance(a.value, float):  # type: ignore[attr-defined]
            return b
        if (
            n.op in ("add", "sub")
            and zero(b)
            and a.rank >= b.rank
            and not isinstance(b.value, float)  # type: ignore[attr-defined]
        ):  # type: ignore[attr-defined]
            return a
        if n.op == "mul" and one(a) and b.rank >= a.rank and not isinstance(a.value, float):  # type: ignore[attr-defined]
            return b
        if (
            n.op in ("mul", "div")
            and one(b)
            and a.rank >= b.rank
            and not isinstance(b.value, float)  # type: ignore[attr-defined]
        ):  # type: ignore[attr-defined]
            return a
    return n


def _z3():
    import z3

    return z3


def sub(a: Node, b: Node) -> Node:
    if isinstance(b, Const) and b.value == 0:
        return a
    if isinstance(a, Const) and isinstance(b, Const):
        return Const(a.value - b.value)
    return Bin("sub", a, b)


def add(a: Node, b: Node) -> Node:
    if isinstance(b, Const) and b.value == 0:
        return a
    if isinstance(a, Const) and a.value == 0:
        return b
    if isinstance(a, Const) and isinstance(b, Const):
        return Const(a.value + b.value)
    return Bin("add", a, b)


class Backend:
    """Source spelling of TensIR operations for one array library."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.m = {"numpy": "np", "torch": "torch", "jax": "jnp"}[name]

    def bin(self, op: str, a: str, b: str) -> str:
        infix = {
            "add": "+",
            "sub": "-",
            "mul": "*",
            "div": "/",
            "pow": "**",
            "lt": "<",
            "le": "<=",
            "gt": ">",
            "ge": ">=",
            "eq": "==",
            "ne": "!=",
        }
        if op == "div" and self.m == "torch":  # int tensors would divide into float32
            return f"(_f({a}) / {b})"
        if op in infix:
            return f"({a} {infix[op]} {b})"
        m = self.m
        if m == "torch" and op in ("floordiv", "mod"):
            return f"_{op}({a}, {b})"  # integer division by zero gives 0 as in NumPy
        if m == "torch":
            f = {
                "floordiv": "floor_divide",
                "mod": "remainder",
                "max": "maximum",
                "min": "minimum",
                "and": "logical_and",
                "or": "logical_or",
            }[op]
            return f"torch.{f}(_t({a}), _t({b}))"
        f = {
            "floordiv": "floor_divide",
            "mod": "mod",
            "max": "maximum",
            "min": "minimum",
            "and": "logical_and",
            "or": "logical_or",
        }[op]
        return f"{m}.{f}({a}, {b})"

    def un(self, op: str, a: str) -> str:
        if op == "neg":
            return f"(-{a})"
        if op == "float":
            return f"({a} * 1.0)"
        f = {"not": "logical_not"}.get(op, op)
        if self.m == "torch":
            arg = f"_f({a})" if op not in ("abs", "not") else f"_t({a})"
            return f"torch.{f}({arg})"
        return f"{self.m}.{f}({a})"

    def expand(self, a: str, d: int) -> str:
        if self.m == "torch":
            return f"torch.unsqueeze(_t({a}), {d})"
        return f"{self.m}.expand_dims({a}, {d})"

    def permute(self, a: str, perm: tuple[int, ...]) -> str:
        if self.m == "torch":
            return f"{a}.permute{perm}"
        return f"{self.m}.transpose({a}, {perm})"

    def einsum(self, spec: str, ops: tuple[str, ...]) -> str:
        simple = {
            "i,i->": "({0} @ {1})",
            "ij,j->i": "({0} @ {1})",
            "ij,i->j": "({1} @ {0})",
            "ik,kj->ij": "({0} @ {1})",
            "ik,jk->ij": "({0} @ {1}.T)",
            "ki,kj->ij": "({0}.T @ {1})",
        }
        if spec in simple and self.m != "torch":
            return simple[spec].format(*ops)
        if spec in simple:
            return simple[spec].replace(".T", ".mT").format(*ops)
        return f"{self.m}.einsum({spec!r}, {', '.join(ops)})"
