"""Small runtime helpers that generated code calls (slices with Python's bounds rules, ...).

Each helper raises ``Fallback`` where the array library would silently differ from Python
(an out-of-range slice is shortened by NumPy but raises ``IndexError`` in the loop), so that
the lifted function runs the original Python instead."""

from __future__ import annotations

from typing import Any

from opportune.lift._errors import Fallback


def helpers(backend: str) -> dict[str, Any]:
    if backend == "numpy":
        import numpy as xp
    elif backend == "torch":
        import torch as xp  # type: ignore[no-redef]
    else:
        import jax.numpy as xp  # type: ignore[no-redef]
    torch = backend == "torch"

    def _t(x: Any) -> Any:
        return xp.as_tensor(x) if torch else x  # type: ignore[attr-defined]

    def _f(x: Any) -> Any:
        """Torch computes float functions of integer tensors in float32; Python uses doubles."""
        if not torch:
            return x
        x = xp.as_tensor(x)  # type: ignore[attr-defined]
        return x if x.is_floating_point() else x.double()

    def _cp(x: Any) -> Any:
        if torch:
            return x.clone()
        return xp.array(x, copy=True) if backend == "numpy" else x  # JAX arrays are immutable

    def _intdiv(f: str) -> Any:
        def op(a: Any, b: Any) -> Any:
            a, b = _t(a), _t(b)
            if a.is_floating_point() or b.is_floating_point():
                return getattr(xp, f)(a, b)
            zero = b == 0
            return xp.where(zero, 0, getattr(xp, f)(a, xp.where(zero, 1, b)))  # type: ignore[attr-defined]

        return op

    def scan(op: str) -> Any:
        comb = {
            "sum": lambda a, b: a + b,
            "prod": lambda a, b: a * b,
            "max": lambda a, b: xp.maximum(_t(a), _t(b)),
            "min": lambda a, b: xp.minimum(_t(a), _t(b)),
        }[op]

        def _scan(x: Any, d: int, init: Any) -> Any:
            x = _t(x)
            if torch:
                r: Any = {"sum": xp.cumsum, "prod": xp.cumprod}.get(op)
                acc = r(x, dim=d) if r else getattr(xp, "cum" + op)(x, dim=d).values
            elif backend == "numpy":
                table: Any = {
                    "sum": xp.cumsum,
                    "prod": xp.cumprod,
                    "max": xp.maximum.accumulate,
                    "min": xp.minimum.accumulate,
                }
                acc = table[op](x, axis=d)
            else:
                import jax

                acc = {
                    "sum": xp.cumsum,
                    "prod": xp.cumprod,
                    "max": jax.lax.cummax,
                    "min": jax.lax.cummin,
                }[op](x, axis=d)
            if init is None:
                return acc
            init = _t(init) if torch else xp.asarray(init)
            if init.ndim:
                init = xp.unsqueeze(init, d) if torch else xp.expand_dims(init, d)  # type: ignore[attr-defined]
            return comb(init, acc)

        return _scan

    def _sl(x: Any, d: int, lo: Any, hi: Any) -> Any:
        lo, hi = int(lo), int(hi)
        if not (0 <= lo <= hi <= x.shape[d]):
            raise Fallback(f"slice {lo}:{hi} of a dimension of length {x.shape[d]}")
        return x[(slice(None),) * d + (slice(lo, hi),)]

    def _ar(lo: Any, hi: Any) -> Any:
        lo, hi = int(lo), int(hi)
        if lo > hi:
            raise Fallback("empty range")
        return xp.arange(lo, hi)

    def _bc(x: Any, d: int, n: Any) -> Any:
        n = int(n)
        if n < 0:
            raise Fallback("negative length")
        x = xp.unsqueeze(_t(x), d) if torch else xp.expand_dims(x, d)  # type: ignore[attr-defined]
        return x.repeat_interleave(n, dim=d) if torch else xp.repeat(x, n, axis=d)

    def red(op: str) -> Any:
        f = {
            "sum": "sum",
            "prod": "prod",
            "max": "amax" if torch else "max",
            "min": "amin" if torch else "min",
        }[op]
        comb = {
            "sum": lambda a, b: a + b,
            "prod": lambda a, b: a * b,
            "max": lambda a, b: xp.maximum(_t(a), _t(b)),
            "min": lambda a, b: xp.minimum(_t(a), _t(b)),
        }[op]

        def _red(x: Any, d: int, init: Any) -> Any:
            x = _t(x)
            if x.shape[d] == 0:
                if init is None:
                    raise Fallback(f"{op} of an empty sequence")
                shape = tuple(x.shape[:d]) + tuple(x.shape[d + 1 :])
                return xp.zeros(shape, dtype=x.dtype) + init
            r = getattr(xp, f)(x, dim=d) if torch else getattr(xp, f)(x, axis=d)
            return r if init is None else comb(init, r)

        return _red

    return {
        "_t": _t,
        **{f"_scan_{o}": scan(o) for o in ("sum", "prod", "max", "min")},
        "_floordiv": _intdiv("floor_divide") if torch else None,
        "_mod": _intdiv("remainder") if torch else None,
        "_cp": _cp,
        "_f": _f,
        "_sl": _sl,
        "_ar": _ar,
        "_bc": _bc,
        **{f"_red_{o}": red(o) for o in ("sum", "prod", "max", "min")},
    }
