"""Functions outside the lifted fragment raise LiftError naming the construct and the line."""

from __future__ import annotations

import math

import pytest

from opportune.lift import LiftError, lift


def filtered(xs):
    out = []
    for x in xs:
        if x > 0:
            out.append(x)
    return out


def with_break(xs):
    s = 0.0
    for x in xs:
        if x > 10:
            break
        s += x
    return s


def gather(xs, idx):
    return [xs[idx[i]] for i in range(len(idx))]


def triangular(a):
    out = []
    for i in range(len(a)):
        s = 0.0
        for j in range(i):
            s += a[i][j]
        out.append(s)
    return out


def recurrence(xs):
    y = 1.0
    for x in xs:
        y = y * 0.5 + x
    return y


def diagonal(a):
    return [a[i][i] for i in range(len(a))]


def strided(xs):
    return [xs[i] for i in range(0, len(xs), 2)]


def uses_unknown(xs):
    return [math.gamma(x) for x in xs]


def while_not_counting(xs):
    i = 0
    s = 0.0
    while s < 10:
        s += xs[i]
        i += 1
    return s


def no_return(xs):
    s = 0.0
    for x in xs:
        s += x


def early_return(xs):
    for x in xs:
        if x > 0:
            return x
    return 0


def last_value(xs):
    for x in xs:
        t = x * 2
    return t


CASES = [
    (filtered, "under an if", 15),
    (with_break, "break", 24),
    (gather, "indirect or strided", 30),
    (triangular, "triangular", 37),
    (recurrence, "not a sum, product, max or min", 45),
    (diagonal, "diagonal", 51),
    (strided, "step other than 1", 55),
    (uses_unknown, "math.gamma", 59),
    (while_not_counting, "counting loop", 65),
    (no_return, "must end with `return", 71),
    (early_return, "return is only supported as the last statement", 80),
    (last_value, "last-iteration values", 87),
]


@pytest.mark.parametrize("fn,fragment,line", CASES, ids=[c[0].__name__ for c in CASES])
def test_lift_error_names_construct_and_line(fn, fragment: str, line: int) -> None:
    with pytest.raises(LiftError) as ei:
        lift(fn)
    assert fragment in ei.value.reason
    assert ei.value.line == line, ei.value.reason
    assert ei.value.reason.startswith(f"line {line}: ")


def test_unknown_backend_is_refused_with_the_choices() -> None:
    with pytest.raises(LiftError, match="numpy, torch, jax"):
        lift(filtered, backend="tpu")


def test_source_must_be_readable() -> None:
    with pytest.raises(LiftError, match="cannot read the source"):
        lift(eval("lambda xs: xs"))


def writes_other_row(a):
    c = [[0.0] * len(a[0]) for _ in range(len(a))]
    for i in range(len(a)):
        for j in range(len(a[0])):
            c[0][j] = a[i][j]
    return c


def test_two_dimensional_writes_must_follow_the_loops() -> None:
    with pytest.raises(LiftError, match="out\\[i\\]\\[j\\] = ..."):
        lift(writes_other_row)
