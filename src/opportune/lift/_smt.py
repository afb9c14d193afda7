"""The SMT model shared by synthesis and verification.

Numbers are mathematical reals (z3 ``Real``); list lengths and indices are integers.  Lists are
z3 arrays from index to value (rows: arrays of arrays, assumed rectangular).  ``//``, ``%``,
``**`` and library functions such as ``exp`` are uninterpreted functions: a proof then holds
for *any* function with that name, which is sound for equivalence because both sides apply
the same one.  IEEE rounding is not modelled at all.

A reduction ``Reduce(op, x, d)`` becomes a function ``F(outer..., p)``: the fold of the first
``p`` elements.  Its defining lemmas ``F(1) = x[0]`` and ``F(p+1) = op(F(p), x[p])`` are
instantiated exactly where a loop-invariant step needs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import z3

from opportune.lift import _ir


@dataclass
class ZList:
    """A Python list in the model: an array, its length, and (for rows) the row length."""

    arr: Any
    length: Any
    inner: Any = None


class Z3Ctx:
    def __init__(
        self,
        kinds: dict[str, int],
        int_params: set[str] = frozenset(),  # type: ignore[assignment]
        size: int | None = None,
    ) -> None:
        """``size``: bounded mode, every list length, row length and size parameter is ``size``."""
        self.kinds = kinds  # parameter name -> rank
        self.size = size
        self.int_params = {p.lstrip("@") for p in int_params}
        self.syms: dict[str, Any] = {}
        self.trunc: dict[str, Any] = {}  # reduce tag -> truncated length (loop prefix)
        self.guards: list[Any] = []
        self.obligations: list[tuple[str, Any]] = []  # side conditions that must be proved
        self.apps: list[tuple[_ir.Reduce, tuple]] = []  # F applications seen, for lemmas
        self._funcs: dict[Any, Any] = {}
        self._n = 0
        self.params: dict[str, Any] = {}

        def length(name: str) -> Any:
            return z3.Int(name) if size is None else z3.IntVal(size)

        for name, r in kinds.items():
            if r == 0:
                sized = size is not None and name in int_params
                self.params[name] = z3.RealVal(size) if sized else z3.Real(name)
            elif r == 1:
                self.params[name] = ZList(
                    z3.Array(name, z3.IntSort(), z3.RealSort()), length(f"len_{name}")
                )
            else:
                s = z3.ArraySort(z3.IntSort(), z3.RealSort())
                self.params[name] = ZList(
                    z3.Array(name, z3.IntSort(), s), length(f"len_{name}"), length(f"cols_{name}")
                )

    # -- helpers ---------------------------------------------------------------
    If = staticmethod(z3.If)
    And = staticmethod(z3.And)

    def fresh(self, prefix: str, sort: Any) -> Any:
        self._n += 1
        return z3.Const(f"{prefix}!{self._n}", sort)

    def axioms(self) -> list[Any]:
        # parameters used as sizes or inside indices are ints (Python raises TypeError otherwise)
        ax = [
            z3.IsInt(self.params[p])
            for p in self.int_params
            if self.kinds.get(p) == 0 and not z3.is_rational_value(self.params[p])
        ]
        for v in self.params.values():
            if isinstance(v, ZList):
                ax.append(v.length >= 0)
                if v.inner is not None:
                    ax.append(v.inner >= 0)
        return ax

    def sym(self, name: str) -> Any:
        if name not in self.syms:
            self.syms[name] = z3.Real(name)
        return self.syms[name]

    def where(self, c: Any, a: Any, b: Any) -> Any:
        if z3.is_bool(a) and z3.is_bool(b):
            return z3.If(_b(c), a, b)
        return z3.If(_b(c), _r(a), _r(b))

    def obligation(self, what: str, goal: Any) -> None:
        self.obligations.append((what, goal))

    def guard(self, g: Any) -> None:
        if not any(z3.eq(g, h) for h in self.guards):
            self.guards.append(g)

    @staticmethod
    def to_int(x: Any) -> Any:
        return z3.ToInt(x) if z3.is_real(x) else x

    @staticmethod
    def to_real(x: Any) -> Any:
        return z3.ToReal(x) if z3.is_int(x) else x

    @staticmethod
    def const(v: Any) -> Any:
        if isinstance(v, bool):
            return z3.BoolVal(v)
        if isinstance(v, float):
            return (
                z3.RealVal(repr(v)) if "e" not in repr(v) and "n" not in repr(v) else z3.RealVal(v)
            )
        return z3.RealVal(v)

    def fn(self, name: str, arity: int) -> Any:
        key = (name, arity)
        if key not in self._funcs:
            self._funcs[key] = z3.Function(name, *([z3.RealSort()] * (arity + 1)))
        return self._funcs[key]

    def param_elem(self, name: str, idx: list[Any]) -> Any:
        v = self.params[name]
        if not isinstance(v, ZList):
            return v
        r = z3.Select(v.arr, idx[0])
        return z3.Select(r, idx[1]) if len(idx) > 1 else r

    def param_len(self, name: str, d: int) -> Any:
        v = self.params[name]
        return v.length if d == 0 else v.inner

    def bin(self, op: str, a: Any, b: Any) -> Any:
        if op in ("and", "or"):
            return (z3.And if op == "and" else z3.Or)(_b(a), _b(b))
        a, b = _r(a), _r(b)
        if op == "add":
            return a + b
        if op == "sub":
            return a - b
        if op == "mul":
            return a * b
        if op == "div":
            return a / b
        if op == "max":
            return z3.If(a >= b, a, b)
        if op == "min":
            return z3.If(a <= b, a, b)
        if op == "pow" and z3.is_rational_value(b) and b.as_fraction() in (2, 3):
            return a * a if b.as_fraction() == 2 else a * a * a
        if op in ("floordiv", "mod", "pow"):
            return self.fn(op, 2)(a, b)
        return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b, "eq": a == b, "ne": a != b}[
            op
        ]

    def un(self, op: str, a: Any) -> Any:
        if op == "not":
            return z3.Not(_b(a))
        a = _r(a)
        if op == "neg":
            return -a
        if op == "abs":
            return z3.If(a >= 0, a, -a)
        if op == "float":
            return a
        return self.fn(op, 1)(a)

    def combine(self, op: str, a: Any, b: Any) -> Any:
        return {
            "sum": lambda: a + b,
            "prod": lambda: a * b,
            "max": lambda: z3.If(a >= b, a, b),
            "min": lambda: z3.If(a <= b, a, b),
        }[op]()

    def F(self, node: _ir.Reduce) -> Any:
        key = (node.op, node.x, node.d)  # the fold does not depend on its start value
        if key not in self._funcs:
            self._funcs[key] = z3.Function(
                f"fold_{node.op}_{len(self._funcs)}",
                *([z3.IntSort()] * (node.rank + 1)),
                z3.RealSort(),
            )
        return self._funcs[key]

    def reduce_len(self, node: _ir.Reduce) -> Any:
        if node.tag in self.trunc:
            return self.trunc[node.tag]
        return self.to_int(_ir._dim_len(node.x.dims()[node.d]).z3(self, []))

    def reduce(self, node: _ir.Reduce, idx: list[Any]) -> Any:
        if self.size is not None:
            return self.unrolled_reduce(node, idx)
        L = self.reduce_len(node)
        self.apps.append((node, tuple(idx)))
        # translate the body once at a generic position: collects its runtime guards
        pos = list(idx[: node.d]) + [self.fresh("g", z3.IntSort())] + list(idx[node.d :])
        node.x.z3(self, pos)
        val = self.F(node)(*idx, L)
        if node.init is None:
            if node.tag not in self.trunc:
                self.guard(L >= 1)
            return val
        init = _r(node.init.z3(self, list(idx) if node.init.rank else []))
        return z3.If(L <= 0, init, self.combine(node.op, init, val))

    def scan(self, node: Any, idx: list[Any]) -> Any:
        """Element ``t`` of a running fold: the fold of the first ``t + 1`` elements."""
        red = _ir.Reduce(node.op, node.x, node.d, node.init, node.tag)
        outer = list(idx[: node.d]) + list(idx[node.d + 1 :])
        t = idx[node.d]
        if self.size is not None:  # bounded mode: the running values written out
            L = z3.simplify(self.to_int(_ir._dim_len(node.x.dims()[node.d]).z3(self, [])))
            if not z3.is_int_value(L):
                raise ValueError("scan length is not fixed by the bounded size")
            acc = None
            if node.init is not None:
                acc = _r(node.init.z3(self, outer if node.init.rank else []))
            running = []
            for p in range(L.as_long()):
                v = _r(node.x.z3(self, outer[: node.d] + [z3.IntVal(p)] + outer[node.d :]))
                acc = v if acc is None else self.combine(node.op, acc, v)
                running.append(acc)
            if not running:
                return z3.RealVal(0)
            out = running[-1]
            for p in range(len(running) - 2, -1, -1):
                out = z3.If(t == p, running[p], out)
            return out
        self.apps.append((red, tuple(outer)))
        pos = outer[: node.d] + [self.fresh("g", z3.IntSort())] + outer[node.d :]
        node.x.z3(self, pos)  # collects the guards of the body
        val = self.F(red)(*outer, t + 1)
        if node.init is None:
            return val
        init = _r(node.init.z3(self, outer if node.init.rank else []))
        return self.combine(node.op, init, val)

    def unrolled_reduce(self, node: _ir.Reduce, idx: list[Any]) -> Any:
        """Bounded mode: the fold written out element by element (the length is a numeral)."""
        L = z3.simplify(self.reduce_len(node))
        if not z3.is_int_value(L):
            raise ValueError("reduction length is not fixed by the bounded size")
        n = L.as_long()
        vals = [
            _r(node.x.z3(self, list(idx[: node.d]) + [z3.IntVal(p)] + list(idx[node.d :])))
            for p in range(n)
        ]
        acc = None
        if node.init is not None:
            acc = _r(node.init.z3(self, list(idx) if node.init.rank else []))
        elif n == 0:
            self.guard(z3.BoolVal(False))  # the generated code falls back at this size
            return z3.RealVal(0)
        for v in vals:
            acc = v if acc is None else self.combine(node.op, acc, v)
        return acc

    def lemma(self, node: _ir.Reduce, idx: tuple, p: Any) -> Any:
        """The defining equations of the fold ``F`` at prefix length ``p``."""
        f = self.F(node)
        xi = list(idx[: node.d]) + [p] + list(idx[node.d :])
        x0 = list(idx[: node.d]) + [z3.IntVal(0)] + list(idx[node.d :])
        step = f(*idx, p + 1) == self.combine(node.op, f(*idx, p), _r(node.x.z3(self, xi)))
        base = f(*idx, 1) == _r(node.x.z3(self, x0))
        return z3.And(z3.Implies(p >= 1, step), base)


def _r(x: Any) -> Any:
    if z3.is_bool(x):
        return z3.If(x, z3.RealVal(1), z3.RealVal(0))
    return z3.ToReal(x) if z3.is_int(x) else x


def _b(x: Any) -> Any:
    return x if z3.is_bool(x) else x != 0


def prove(hyps: list[Any], goal: Any, timeout_ms: int = 5000) -> str:
    """'proved', 'refuted' or 'unknown' for ``hyps => goal``."""
    s = z3.Solver()
    s.set("timeout", timeout_ms)
    s.add(*hyps)
    s.add(z3.Not(goal))
    r = s.check()
    return "proved" if r == z3.unsat else ("refuted" if r == z3.sat else "unknown")
