"""``lift``, the ``Lifted`` callable it returns, and the ``lifted`` decorator."""

from __future__ import annotations

import functools
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from opportune.lift._codegen import BACKENDS, compile_source, generate
from opportune.lift._errors import Fallback, LiftError
from opportune.lift._frontend import lift_ast
from opportune.lift._synth import check_on_random_inputs, contractions


def _converter(backend: str) -> Callable[[Any], Any]:
    if backend == "numpy":
        return lambda a: np.asarray(a) if isinstance(a, (list, tuple)) else a
    if backend == "torch":
        import torch

        def conv(a: Any) -> Any:
            arr = np.asarray(a)
            if arr.dtype.kind == "f":
                arr = arr.astype(np.float64)
            return torch.as_tensor(arr)

        return conv
    import jax.numpy as jnp

    return lambda a: jnp.asarray(np.asarray(a))


def _as_arrays(args: tuple[Any, ...], ranks: list[int]) -> list[Any]:
    """Arguments as NumPy arrays, checked against what the proof is about: numbers, lists of
    numbers and rectangular lists of rows of the ranks the kernel reads.  Anything else
    (``3 * [1, 2]`` is list repetition in Python, not a product; ragged rows; integers beyond
    int64) raises ``Fallback``, so the original runs."""
    if len(args) != len(ranks):
        raise Fallback("wrong number of arguments")
    out: list[Any] = []
    for a, r in zip(args, ranks):
        if r == 0:
            if isinstance(a, bool) or not isinstance(a, (int, float, np.integer, np.floating)):
                raise Fallback(f"{type(a).__name__} where a number is read")
            if isinstance(a, int) and not -(2**63) <= a < 2**63:
                raise Fallback("integer beyond int64")
            out.append(a)
            continue
        arr = a if isinstance(a, np.ndarray) else np.asarray(a)
        if arr.ndim != r or arr.dtype.kind not in "biuf":
            raise Fallback(
                f"argument of shape {arr.shape} / dtype {arr.dtype} where rank {r} is read"
            )
        out.append(arr)
    return out


def _to_python(x: Any) -> Any:
    if isinstance(x, tuple):
        return tuple(_to_python(v) for v in x)
    if hasattr(x, "ndim") and x.ndim == 0:
        return x.item()
    if not isinstance(x, np.ndarray) and hasattr(x, "numpy"):
        return x.numpy()
    return x


class Lifted:
    """A lifted kernel: call it like the original function.

    ``source`` is the generated code, ``verified`` how its equivalence with the loop was
    established: ``"proved"`` (for all sizes, by SMT, over mathematical reals),
    ``"bounded(n<=K)"``, or ``"tested"`` (random inputs only).  ``fallbacks`` counts calls that
    ran the original Python because a runtime precondition of the generated code failed.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        backend: str,
        source: str,
        kernel: Callable[..., Any],
        verified: str,
        detail: dict[str, Any],
    ) -> None:
        self.fn = fn
        self.backend = backend
        self.source = source
        self.kernel = kernel
        self.verified = verified
        self.detail = detail
        self.fallbacks = 0
        self.ranks: list[int] | None = detail.pop("ranks", None)
        self._conv = _converter(backend)
        functools.update_wrapper(self, fn)

    def __call__(self, *args: Any) -> Any:
        try:
            if self.ranks is None:
                conv = [self._conv(a) for a in args]
            else:
                conv = [self._conv(a) for a in _as_arrays(args, self.ranks)]
            with np.errstate(all="ignore"):
                return _to_python(self.kernel(*conv))
        except Exception:  # noqa: BLE001 - whatever the generated code hits, Python decides
            self.fallbacks += 1
            return self.fn(*args)

    def __repr__(self) -> str:
        return f"<lifted {self.fn.__name__} backend={self.backend} verified={self.verified}>"


def lift(
    fn: Callable[..., Any], backend: str = "numpy", *, verify: bool = True, trials: int = 60
) -> Lifted:
    """Translate the loops of ``fn`` into ``backend`` array code and establish equivalence.

    Raises ``LiftError`` naming the construct (and line) that is outside the lifted fragment, or
    when the generated code disagrees with ``fn`` on random inputs (it is then never returned).
    """
    if backend not in BACKENDS:
        raise LiftError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    try:
        _converter(backend)
    except ImportError as e:
        raise LiftError(
            f"backend {backend!r} is not installed ({e}); pip install "
            f"'opportune[{backend}]' or use backend='numpy'"
        ) from e
    fn = getattr(fn, "__wrapped__", fn)
    t0 = time.perf_counter()
    lf = lift_ast(fn)
    outs = [o.node for o in lf.outputs]
    candidates = [("contraction", [contractions(o) for o in outs]), ("core", outs)]
    chosen = None
    notes: list[str] = []
    np_conv = _converter("numpy")
    for label, nodes in candidates:
        if chosen is not None and label == "core":
            break
        src = generate(lf.fn_name, lf.params, nodes, lf.is_tuple, "numpy")
        kern = compile_source(src, lf.fn_name)
        n_ok, n_fb, bad = check_on_random_inputs(
            fn, kern, lf.kinds, lf.size_params, np_conv, trials
        )
        if bad is None and n_ok >= 3:
            chosen = (label, nodes, n_ok, n_fb)
        else:
            notes.append(f"{label}: {bad or f'only {n_ok} comparable random runs'}")
    if chosen is None:
        raise LiftError(
            f"{fn.__name__}: no candidate agrees with the original on random inputs ("
            + "; ".join(notes)
            + ")"
        )
    label, nodes, n_ok, n_fb = chosen
    t_synth = time.perf_counter() - t0
    verified = "tested"
    vdetail: dict[str, Any] = {}
    if verify:
        from opportune.lift._verify import verify_lifted

        verified, vdetail = verify_lifted(fn, lf, nodes)
    src = generate(lf.fn_name, lf.params, nodes, lf.is_tuple, backend)
    kern = compile_source(src, lf.fn_name)
    if backend != "numpy":
        _, _, bad = check_on_random_inputs(
            fn, kern, lf.kinds, lf.size_params, _converter(backend), max(12, trials // 3)
        )
        if bad is not None:
            raise LiftError(f"{fn.__name__}: {backend} code disagrees with the original: {bad}")
    detail = {
        "candidate": label,
        "random_runs": n_ok,
        "random_fallbacks": n_fb,
        "synthesis_s": t_synth,
        "verify_s": time.perf_counter() - t0 - t_synth,
        **vdetail,
    }
    detail["ranks"] = [lf.kinds[p] for p in lf.params]
    return Lifted(fn, backend, src, kern, verified, detail)


def lifted(fn: Callable[..., Any] | None = None, *, backend: str = "numpy") -> Any:
    """Decorator: lift ``fn`` at its first call; if lifting fails, warn once and keep ``fn``."""

    def deco(f: Callable[..., Any]) -> Callable[..., Any]:
        state: dict[str, Any] = {}

        @functools.wraps(f)
        def wrapper(*args: Any) -> Any:
            if "impl" not in state:
                try:
                    state["impl"] = lift(f, backend=backend)
                except LiftError as e:
                    warnings.warn(
                        f"opportune.lift: running {f.__name__} as plain Python: {e.reason}",
                        RuntimeWarning,
                        stacklevel=2,
                    )
                    state["impl"] = f
            return state["impl"](*args)

        wrapper.lifted_impl = state  # type: ignore[attr-defined]
        return wrapper

    return deco(fn) if fn is not None else deco


__all__ = ["Fallback", "LiftError", "Lifted", "lift", "lifted"]
