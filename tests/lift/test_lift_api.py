"""The public API: lift(), Lifted, the lifted decorator, fallbacks and back ends."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import opportune.lift
from opportune.lift import LiftError, lift, lifted


def softmax(xs):
    m = xs[0]
    for x in xs:
        m = max(m, x)
    es = [math.exp(x - m) for x in xs]
    total = 0.0
    for e in es:
        total += e
    return [e / total for e in es]


def stats(xs):
    s = 0.0
    hi = xs[0]
    for x in xs:
        s += x
        hi = max(hi, x)
    return s, hi


def head(xs, n):
    out = []
    for i in range(n):
        out.append(xs[i] * 2)
    return out


def rowwise_norm(a):
    out = []
    for row in a:
        s = 0.0
        for v in row:
            s += v * v
        norm = math.sqrt(s)
        out.append([v / norm for v in row])
    return out


def scan(xs):  # exclusive: each element gets the sum *before* it
    out = []
    s = 0
    for x in xs:
        out.append(s)
        s += x
    return out


def test_lift_returns_callable_with_source_and_status() -> None:
    fast = lift(softmax)
    xs = [0.5, -1.0, 2.0, 3.5]
    assert np.allclose(fast(xs), softmax(xs))
    assert np.allclose(fast(np.array(xs)), softmax(xs))  # arrays as well as lists
    assert fast.verified == "proved"
    assert "def softmax(xs):" in fast.source and "np.exp" in fast.source
    assert "for " not in fast.source.split("def softmax")[1]


def test_tuple_results_and_scalars() -> None:
    fast = lift(stats)
    s, hi = fast([1.0, 5.0, -2.0])
    assert (s, hi) == stats([1.0, 5.0, -2.0])
    assert isinstance(s, float)


def test_rows_of_lists() -> None:
    fast = lift(rowwise_norm)
    a = [[3.0, 4.0], [1.0, 0.0], [0.5, 0.5]]
    assert np.allclose(fast(a), rowwise_norm(a))
    assert fast.verified == "proved"


def test_precondition_failure_runs_the_original_python() -> None:
    fast = lift(head)
    assert list(fast([1, 2, 3], 2)) == [2, 4]
    assert fast.fallbacks == 0
    with pytest.raises(IndexError):  # Python's own error, not a silently shortened array
        fast([1, 2, 3], 5)
    assert fast.fallbacks == 1


def test_lifted_decorator_lifts_on_first_call() -> None:
    fast = lifted(softmax)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.allclose(fast([1.0, 2.0]), softmax([1.0, 2.0]))
    assert fast.lifted_impl["impl"].verified == "proved"


def test_lifted_decorator_warns_and_falls_back() -> None:
    slow = opportune.lift.lifted(scan)
    with pytest.warns(RuntimeWarning, match="exclusive or transformed scan"):
        assert slow([1, 2, 3]) == [0, 1, 3]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warns once only
        assert slow([1, 1]) == [0, 1]


def test_lift_error_has_reason_attribute() -> None:
    with pytest.raises(LiftError) as ei:
        lift(scan)
    assert "scan" in ei.value.reason and str(ei.value) == ei.value.reason


@pytest.mark.parametrize("backend", ["torch", "jax"])
def test_optional_backends(backend: str) -> None:
    try:
        __import__(backend)
    except ImportError:
        with pytest.raises(LiftError, match=f"opportune\\[{backend}\\]"):
            lift(softmax, backend=backend)
        return
    fast = lift(softmax, backend=backend)
    assert np.allclose(fast([1.0, 2.0, 3.0]), softmax([1.0, 2.0, 3.0]), rtol=1e-5)


def copy_of(xs):
    return [x for x in xs]


def test_result_never_aliases_an_argument() -> None:
    fast = lift(copy_of)
    xs = np.arange(4.0)
    out = fast(xs)
    out[0] = 99.0
    assert xs[0] == 0.0
    assert "_cp(" in fast.source


def scale(xs, s):
    return [x * s for x in xs]


@pytest.mark.parametrize(
    "args",
    [
        ([1, 2], [1, 2]),  # a list where a number is read: int * list repeats the list
        ([[1.0, 2.0], [3.0]], 2.0),  # ragged rows
        ([2**70, 1], 3),  # integers beyond int64
        (["a", "b"], 2),  # not numbers at all
    ],
)
def test_arguments_outside_the_model_run_the_original(args) -> None:
    fast = lift(scale)
    try:
        want = scale(*args)
    except TypeError as e:
        with pytest.raises(TypeError, match=str(e)[:20]):
            fast(*args)
    else:
        assert fast(*args) == want
    assert fast.fallbacks == 1


def burn(base, active):
    return [255 if a == 0 else 255 - (255 - b) // a for a, b in zip(active, base)]


@pytest.mark.parametrize(
    "backend,expected",
    [
        ("numpy", ["np.where(", "np.floor_divide("]),
        ("torch", ["torch.where(", "_floordiv("]),  # integer division by zero gives 0, as NumPy
        ("jax", ["jnp.where(", "jnp.floor_divide("]),
    ],
)
def test_source_for_each_backend(backend: str, expected: list[str]) -> None:
    from opportune.lift._codegen import generate
    from opportune.lift._frontend import lift_ast

    lf = lift_ast(burn)
    src = generate(lf.fn_name, lf.params, [o.node for o in lf.outputs], lf.is_tuple, backend)
    compile(src, "<generated>", "exec")
    for piece in expected:
        assert piece in src


def weighted_by_position(xs):
    return [i * x for i, x in enumerate(xs)]


def pairwise_min(xs, ys):  # zip stops at the shorter list
    return [min(x, y) for x, y in zip(xs, ys)]


def clipped_mean(xs, lo, hi):
    total = 0.0
    i = 0
    while i < len(xs):
        total += max(lo, min(hi, xs[i]))
        i += 1
    return total / len(xs)


@pytest.mark.parametrize(
    "fn,args",
    [
        (weighted_by_position, ([2.0, 3.0, 5.0],)),
        (pairwise_min, ([1.0, 7.0, 3.0, 9.0], [4.0, 2.0])),
        (clipped_mean, ([0.5, 4.0, -3.0, 1.5], -1.0, 2.0)),
    ],
)
def test_enumerate_zip_and_while_are_proved(fn, args) -> None:
    fast = lift(fn)
    assert fast.verified == "proved", fast.detail
    assert np.allclose(fast(*args), fn(*args))
    assert fast.fallbacks == 0
