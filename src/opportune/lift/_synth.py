"""Synthesis without sketches: candidates come from the loop body's own structure.

Two places choose between candidates:

* an accumulator ``s = f(s, ...)`` is one of ``s + e``, ``s * e``, ``max(s, e)``, ``min(s, e)``;
  ``e`` is derived from ``f`` (``f`` with ``s`` set to the operator's identity, or one of the
  ``s``-free subterms of ``f``) and each candidate is kept only if z3 shows ``f`` equals it
  for every value of ``s`` and of the loop's inputs;
* a sum of products may also be written as a contraction (dot / matrix-vector / matrix
  product, ``Einsum``); whole-function candidates are filtered by running them against the
  original Python function on random inputs (``check_on_random_inputs``).
"""

from __future__ import annotations

import ast
import math
import random
from collections.abc import Callable
from typing import Any

import numpy as np
import z3

from opportune.lift import _ir
from opportune.lift._errors import Fallback
from opportune.lift._ir import Bin, Const, Einsum, Expand, Node, Permute, Reduce, Sym
from opportune.lift._smt import Z3Ctx, prove


def _subterms_free_of(node: Node, sym: str, out: list[Node]) -> bool:
    """Collect maximal sub-expressions that do not mention ``sym``; return whether ``node`` does."""
    if isinstance(node, Sym):
        return node.name == sym
    flags = [_subterms_free_of(k, sym, out) for k in node.kids()]
    if any(flags):
        for k, f in zip(node.kids(), flags):
            if not f and k.rank in (0, node.rank) and not isinstance(k, Const) and k not in out:
                out.append(k)
        return True
    return False


def classify_accumulator(
    fe: Any, f: Any, P: Any, ax: Any, name: str, at: ast.AST
) -> tuple[str, Any]:
    from opportune.lift._frontend import Val

    sym = P.node
    cands: list[tuple[str, Node]] = []
    if isinstance(f.node, Reduce) and f.node.init == sym and f.node.op in ("max", "min"):
        cands.append((f.node.op, Reduce(f.node.op, f.node.x, f.node.d, None, f.node.tag)))
    cands.append(("sum", _ir.simplify(f.node.replace({sym: Const(0)}))))
    free: list[Node] = []
    _subterms_free_of(f.node, sym.name, free)
    for c in free:
        cands += [("max", c), ("min", c)]
    cands.append(("prod", _ir.simplify(f.node.replace({sym: Const(1)}))))
    for op, e in cands:
        if _holds(fe.kinds, f.node, sym, op, e):
            axes = f.axes if e.rank else ()
            return op, Val(e, axes)
    raise fe.err(
        f"{name} is updated as {name} = {_show(f.node, sym)}, which is not a sum, product, "
        f"max or min of {name} with a value independent of {name} (recurrences are not lifted)",
        at,
    )


def _show(n: Node, sym: Sym) -> str:
    s = _ir.pretty(n)
    return s if len(s) < 120 else s[:117] + "..."


def _holds(kinds: dict[str, int], f: Node, sym: Sym, op: str, e: Node) -> bool:
    Z = Z3Ctx(kinds)
    idx = [z3.Int(f"ix{k}") for k in range(f.rank)]
    lhs = f.z3(Z, idx)
    rhs = Z.combine(op, Z.sym(sym.name), _real(e.z3(Z, idx if e.rank else [])))
    hyps = Z.axioms() + Z.guards + [i >= 0 for i in idx]
    if z3.is_bool(lhs):
        return False
    return prove(hyps, _real(lhs) == rhs, 3000) == "proved"


def _real(x: Any) -> Any:
    if z3.is_bool(x):
        return z3.If(x, z3.RealVal(1), z3.RealVal(0))
    return z3.ToReal(x) if z3.is_int(x) else x


# -- contractions -------------------------------------------------------------------


def _operand(n: Node, letters: list[str]) -> tuple[Node, str] | None:
    """Strip broadcasts/transposes off an operand, tracking which loop letter each dim is."""
    while True:
        if isinstance(n, Expand) and n.size is None:
            letters = letters[: n.d] + letters[n.d + 1 :]
            n = n.x
        elif isinstance(n, Permute):
            inner = [""] * len(letters)
            for k, p in enumerate(n.perm):
                inner[p] = letters[k]
            letters, n = inner, n.x
        else:
            return n, "".join(letters)


def contractions(node: Node) -> Node:
    """Rewrite every ``Reduce(sum, a * b)`` into an ``Einsum`` (dot, matvec, matmul)."""

    def rw(n: Node) -> Node:
        n = n._rebuild(tuple(rw(k) for k in n.kids()))
        if (
            isinstance(n, Reduce)
            and n.op == "sum"
            and isinstance(n.x, Bin)
            and n.x.op == "mul"
            and n.x.a.rank == n.x.b.rank == n.x.rank
            and n.x.rank <= 4
        ):
            letters = list("ijkl"[: n.x.rank])
            a, b = _operand(n.x.a, letters), _operand(n.x.b, letters)
            if a is None or b is None or not a[1] or not b[1]:
                return n
            out = "".join(letters[: n.d] + letters[n.d + 1 :])
            low = Reduce("sum", n.x, n.d, Const(0), n.tag)
            e = Einsum(f"{a[1]},{b[1]}->{out}", (a[0], b[0]), low)
            if n.init is None or n.init == Const(0):
                return e if n.init is not None else n
            return Bin("add", n.init, e)
        return n

    return rw(node)


# -- random testing ---------------------------------------------------------------------


def random_args(
    kinds: dict[str, int], sizes: set[str], rng: random.Random, regime: str
) -> list[Any]:
    n, m = rng.randint(1, 7), rng.randint(1, 7)

    def num() -> Any:
        if regime == "int":
            return rng.randint(0, 255)
        if regime == "pos":
            return rng.uniform(0.1, 3.0)
        return rng.uniform(-3.0, 3.0)

    args: list[Any] = []
    for p, r in kinds.items():
        if r == 0:
            if p in sizes:
                args.append(rng.choice((n, m)))
            elif "@" + p in sizes:  # used inside an index: a small non-negative int
                args.append(rng.randint(0, 2))
            else:
                args.append(num())
        elif r == 1:
            args.append([num() for _ in range(rng.choice((n, m)))])
        else:
            args.append([[num() for _ in range(m)] for _ in range(n)])
    return args


def same(py: Any, ours: Any) -> bool:
    try:
        a = np.asarray(py, dtype=float)
        b = np.asarray(ours, dtype=float)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape:
        return a.size == 0 and b.size == 0
    scale = max(1.0, float(np.nanmax(np.abs(a))) if a.size and np.isfinite(a).any() else 1.0)
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-9 * scale, equal_nan=True))


def check_on_random_inputs(
    fn: Callable[..., Any],
    cand: Callable[..., Any],
    kinds: dict[str, int],
    sizes: set[str],
    convert: Callable[[Any], Any],
    trials: int = 60,
    seed: int = 0,
) -> tuple[int, int, str | None]:
    """Run the original and a candidate side by side; return (compared, fallbacks, first mismatch)."""
    rng = random.Random(seed)
    compared = fallbacks = 0
    for t in range(trials):
        args = random_args(kinds, sizes, rng, ("int", "pos", "any")[t % 3])
        try:
            want = fn(*[_copy(a) for a in args])
        except Exception:  # noqa: BLE001, S112 - inputs the original rejects say nothing
            continue
        if isinstance(want, float) and math.isnan(want):
            continue
        try:
            with np.errstate(all="ignore"):
                got = cand(*[convert(a) for a in args])
        except Fallback:
            fallbacks += 1
            continue
        except Exception as e:  # noqa: BLE001 - numpy raising where Python did not: the wrapper falls back
            fallbacks += 1
            if fallbacks > trials // 2:
                return compared, fallbacks, f"generated code raised {type(e).__name__}: {e}"
            continue
        want_t = want if isinstance(want, tuple) else (want,)
        got_t = got if isinstance(got, tuple) else (got,)
        if len(want_t) != len(got_t) or not all(same(w, g) for w, g in zip(want_t, got_t)):
            return compared, fallbacks, f"differs on {args!r}: python {want!r}, lifted {got!r}"
        compared += 1
    return compared, fallbacks, None


def _copy(a: Any) -> Any:
    if isinstance(a, list):
        return [_copy(x) for x in a]
    return a


__all__ = [
    "check_on_random_inputs",
    "classify_accumulator",
    "contractions",
    "random_args",
    "same",
]
