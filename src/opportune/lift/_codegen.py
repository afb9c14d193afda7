"""Code generation: TensIR outputs become one straight-line function for a back end.

Shared sub-expressions are computed once (one local per distinct node), so the code reads as
the data flow of the kernel.  Helpers (``_sl``, ``_red_max``, ...) come from ``_rt``."""

from __future__ import annotations

from typing import Any

from opportune.lift._errors import LiftError
from opportune.lift._ir import Backend, Const, Expand, Index, Len, Node, Permute, Slice, Sym, Var

BACKENDS = ("numpy", "torch", "jax")
_IMPORT = {"numpy": "import numpy as np", "torch": "import torch", "jax": "import jax.numpy as jnp"}


def generate(
    fn_name: str, params: list[str], outputs: list[Node], is_tuple: bool, backend: str
) -> str:
    if backend not in BACKENDS:
        raise LiftError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    B = Backend(backend)
    names: dict[Node, str] = {}
    lines: list[str] = []
    uses: dict[Node, int] = {}
    for o in outputs:
        for n in o.walk():
            uses[n] = uses.get(n, 0) + 1

    def go(n: Node) -> str:
        if n in names:
            return names[n]
        if isinstance(n, Sym):
            raise LiftError(f"internal: placeholder {n.name} reached code generation")
        src = n.emit(B, *[go(k) for k in n.kids()])
        if isinstance(n, (Var, Const, Len)) or (uses.get(n, 0) <= 1 and len(src) < 60):
            names[n] = src
            return src
        v = f"t{len(lines)}"
        lines.append(f"    {v} = {src}")
        names[n] = v
        return v

    # a result that is only a view of an argument is copied: Python returns a new list
    rets = [f"_cp({go(o)})" if _is_view(o) else go(o) for o in outputs]
    ret = ", ".join(rets) if is_tuple else rets[0]
    if is_tuple and len(rets) == 1:
        ret += ","
    head = [
        _IMPORT[backend],
        "from opportune.lift._rt import helpers as _helpers",
        f"globals().update(_helpers({backend!r}))",
        "",
        "",
        f"def {fn_name}({', '.join(params)}):",
    ]
    return "\n".join(head + lines + [f"    return {ret}", ""])


def _is_view(n: Node) -> bool:
    if isinstance(n, Var):
        return n.rank > 0
    if isinstance(n, (Slice, Permute, Index)) or (isinstance(n, Expand) and n.size is None):
        return _is_view(n.kids()[0])
    return False


def compile_source(src: str, fn_name: str) -> Any:
    ns: dict[str, Any] = {"__name__": f"opportune.lift.generated.{fn_name}"}
    exec(compile(src, f"<lifted {fn_name}>", "exec"), ns)  # noqa: S102 - our own generated code
    return ns[fn_name]
