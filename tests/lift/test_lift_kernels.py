"""Every benchmark kernel: lifted ones agree with the original on fresh random inputs; the
others are refused with a reason that names the construct."""

from __future__ import annotations

import random
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.lift.kernels import KERNELS
from opportune.lift import LiftError, lift
from opportune.lift._frontend import infer_kinds, parse_function
from opportune.lift._synth import random_args, same

LIFTED = [k for k in KERNELS if k.expect_lift]
REFUSED = {
    "fir_small": "indirect or strided indexing",
    "iir_first_order": "not a sum, product, max or min",
    "exclusive_scan": "exclusive or transformed scan",
    "argmax": "not a sum, product, max or min",
}


def test_the_suite_is_large_enough() -> None:
    assert len(LIFTED) >= 60
    assert {k.name for k in KERNELS if not k.expect_lift} == set(REFUSED)


@pytest.mark.parametrize("k", LIFTED, ids=lambda k: k.name)
def test_lifted_kernel_agrees_with_python(k) -> None:
    fast = lift(k.fn)
    assert fast.verified in ("proved", "tested") or fast.verified.startswith("bounded")
    kinds, sizes = infer_kinds(parse_function(k.fn))
    rng = random.Random(zlib.crc32(k.name.encode()) + 17)  # not the seed the lifter filtered with
    compared = 0
    for t in range(120):
        if compared >= 25:
            break
        args = random_args(kinds, sizes, rng, ("int", "pos", "any")[t % 3])
        try:
            want = k.fn(*args)
        except (ArithmeticError, IndexError, ValueError):
            continue
        got = fast(*args)
        w = want if isinstance(want, tuple) else (want,)
        g = got if isinstance(got, tuple) else (got,)
        assert all(same(a, b) for a, b in zip(w, g)), (args, want, got)
        compared += 1
    assert compared >= 5
    # agreeing through the Python fallback would prove nothing about the generated code
    assert fast.fallbacks <= compared // 3


@pytest.mark.parametrize("name,why", sorted(REFUSED.items()))
def test_kernel_outside_the_fragment_is_refused(name: str, why: str) -> None:
    k = next(k for k in KERNELS if k.name == name)
    with pytest.raises(LiftError) as ei:
        lift(k.fn)
    assert why in ei.value.reason
    assert ei.value.line is not None and ei.value.line > k.fn.__code__.co_firstlineno


def test_generated_code_is_numpy_array_code() -> None:
    k = next(k for k in KERNELS if k.name == "gemv")
    src = lift(k.fn).source
    assert "@" in src and "for " not in src
