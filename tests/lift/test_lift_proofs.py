"""Proofs: which kernels are proved, and that the verifier refuses wrong candidates."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.lift.kernels import KERNELS
from opportune.lift import _ir, lift
from opportune.lift._frontend import lift_ast
from opportune.lift._verify import verify_lifted

BY_NAME = {k.name: k.fn for k in KERNELS}
PROVED = [
    "dot",
    "gemv",
    "gemv_t",
    "gemm",
    "mat_mult",
    "mult_big",
    "darken_blend_8",
    "color_burn_8",
    "overlay_blend_8",
    "dissolve_blend_8",
    "softmax_part1",
    "softmax_part2",
    "rmsnorm_part1",
    "transformer_part1",
    "transformer_part2",
    "count_positive",
    "sum_positive",
    "array_max",
    "array_min",
    "array_prod",
    "row_max",
    "col_sums",
    "transpose",
    "subeq",
    "normalize",
    "dot_product_while",
    "nrm2",
    "amax_value",
    "pairwise_diff",
    "fill_cpu",
    "gemm_ijk",
    "prefix_sum",
    "running_max",
    "row_cumsum",
    "matmul_inplace",
    "matscal_inplace",
]


@pytest.mark.parametrize("name", PROVED)
def test_kernel_is_proved_for_all_sizes(name: str) -> None:
    fast = lift(BY_NAME[name])
    assert fast.verified == "proved", fast.detail
    assert fast.detail["vcs"] >= 2


def _mutants(node: _ir.Node):
    for n in node.walk():
        if isinstance(n, _ir.Reduce):
            yield n, _ir.Reduce("min" if n.op != "min" else "max", n.x, n.d, n.init, n.tag)
        if isinstance(n, _ir.Scan):
            yield n, _ir.Scan("min" if n.op != "min" else "max", n.x, n.d, n.init, n.tag)
        if isinstance(n, _ir.Bin) and n.op in ("mul", "add", "sub", "lt", "gt"):
            swap = {"mul": "add", "add": "sub", "sub": "add", "lt": "gt", "gt": "lt"}[n.op]
            yield n, _ir.Bin(swap, n.a, n.b)
        if isinstance(n, _ir.Slice):
            yield n, _ir.Slice(n.x, n.d, _ir.add(n.lo, _ir.Const(1)), _ir.add(n.hi, _ir.Const(1)))


@pytest.mark.parametrize(
    "name",
    [
        "dot",
        "gemv",
        "array_max",
        "col_sums",
        "softmax_part2",
        "multiply_blend_8",
        "count_positive",
        "prefix_sum",
        "gemm_ijk",
    ],
)
def test_wrong_candidates_are_not_proved(name: str) -> None:
    fn = BY_NAME[name]
    good = [o.node for o in lift_ast(fn).outputs]
    assert verify_lifted(fn, lift_ast(fn), good)[0] == "proved"
    tried = 0
    for old, new in _mutants(good[0]):
        status, detail = verify_lifted(fn, lift_ast(fn), [good[0].replace({old: new})])
        assert status == "tested", (old, new)
        assert any(w in detail["proof"] for w in ("refuted", "unknown", "vacuous"))
        tried += 1
    assert tried >= 1


def test_float_rounding_is_not_claimed() -> None:
    # the proof is over reals: reassociated float sums still count as proved, and the docs say so
    import opportune.lift._verify as v

    assert "IEEE rounding is not modelled" in v.__doc__


@pytest.mark.parametrize("name", ["dot", "gemv", "darken_blend_8", "array_max", "normalize"])
def test_bounded_check_unrolls_loops(name: str) -> None:
    from opportune.lift._synth import contractions
    from opportune.lift._verify import verify_bounded

    fn = BY_NAME[name]
    lf = lift_ast(fn)
    good = [contractions(o.node) for o in lf.outputs]
    assert verify_bounded(lf, good, 3) == "proved"
    for old, new in list(_mutants(good[0].lower() if good[0].lower() is not good[0] else good[0]))[
        :3
    ]:
        assert verify_bounded(lift_ast(fn), [good[0].replace({old: new})], 3) != "proved"


def test_status_is_bounded_when_induction_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from opportune.lift import _verify

    real = _verify.Verifier.loop

    def no_induction(self, *a, **kw):  # type: ignore[no-untyped-def]
        if self.size is None:
            raise _verify.Unsupported("induction disabled for this test")
        return real(self, *a, **kw)

    monkeypatch.setattr(_verify.Verifier, "loop", no_induction)
    fast = lift(BY_NAME["gemv"])
    assert fast.verified == f"bounded(n<={_verify.BOUND})"
    assert "induction disabled" in fast.detail["proof"]


def test_status_is_tested_when_no_check_succeeds(monkeypatch: pytest.MonkeyPatch) -> None:
    from opportune.lift import _verify

    def nothing(self, *a, **kw):  # type: ignore[no-untyped-def]
        raise _verify.Unsupported("disabled for this test")

    monkeypatch.setattr(_verify.Verifier, "loop", nothing)
    assert lift(BY_NAME["gemv"]).verified == "tested"


def test_contraction_with_wrong_index_order_is_not_proved() -> None:
    from opportune.lift._synth import contractions

    fn = BY_NAME["gemv"]
    (good,) = [contractions(o.node) for o in lift_ast(fn).outputs]
    einsums = [n for n in good.walk() if isinstance(n, _ir.Einsum)]
    assert [e.spec for e in einsums] == ["ij,j->i"]
    e = einsums[0]
    wrong = good.replace({e: _ir.Einsum("ji,j->i", e.ops, e.lowered)})
    assert verify_lifted(fn, lift_ast(fn), [good])[0] == "proved"
    status, detail = verify_lifted(fn, lift_ast(fn), [wrong])
    assert status != "proved" and "contraction" in detail["proof"]
