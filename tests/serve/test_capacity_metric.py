"""Throughput at equal latency: the rule on hand-made curves, then on a tiny simulated sweep."""

from __future__ import annotations

import math

import pytest

from opportune.serve import load_at_latency, simulate, sustained_loads


def test_the_crossing_is_interpolated_geometrically_between_grid_loads() -> None:
    curve = {0.1: 1.0, 0.5: 2.0, 1.0: 8.0, 2.0: 50.0}
    cross = load_at_latency(curve, 4.0)  # log 4 lies halfway between log 2 and log 8
    assert not cross.censored and cross.load == pytest.approx(0.75)
    assert load_at_latency(curve, 2.0).load == pytest.approx(0.5)  # at the level still counts


def test_a_curve_that_never_crosses_is_censored_and_one_above_from_the_start_has_no_load() -> None:
    curve = {0.5: 3.0, 1.0: 4.0}
    assert load_at_latency(curve, 10.0) == (1.0, True)
    assert load_at_latency(curve, 1.0) == (None, False)


def test_the_first_crossing_counts_even_if_the_curve_dips_back() -> None:
    assert load_at_latency({0.2: 1.0, 0.4: 5.0, 0.6: 2.0}, 3.0).load < 0.4


def test_the_level_is_a_multiple_of_the_reference_at_its_lowest_load() -> None:
    curves = {"fcfs": {0.05: 2.0, 0.5: 3.0, 1.0: 20.0}, "atlas": {0.05: 1.9, 0.5: 2.5, 1.0: 6.0}}
    level, found = sustained_loads(curves, multiple=5.0)
    assert level == 10.0
    assert 0.5 < found["fcfs"].load < 1.0 and found["atlas"] == (1.0, True)


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [({"multiple": 1.0}, "multiple=1.0"), ({"multiple": 3.0, "reference": "vllm"}, "'vllm'")],
)
def test_bad_rules_are_explained(kwargs: dict, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        sustained_loads({"fcfs": {0.1: 1.0}}, **kwargs)


def test_on_a_tiny_sweep_the_sustained_load_keeps_latency_under_the_level() -> None:
    loads = [0.05, 0.6, 1.2, 2.4]
    curves = {
        p: {x: simulate("tools", p, load=x, programs=24, seed=2).mean_norm_latency for x in loads}
        for p in ("fcfs", "atlas")
    }
    strict_level, strict = sustained_loads(curves, multiple=1.5)
    loose_level, loose = sustained_loads(curves, multiple=4.0)
    assert loose_level > strict_level
    for p, curve in curves.items():
        for cross, level in ((strict[p], strict_level), (loose[p], loose_level)):
            if cross.load is None:
                assert curve[loads[0]] > level
                continue
            assert loads[0] <= cross.load <= loads[-1]
            # Every grid load at or below the sustained load kept latency at or under the level.
            assert all(curve[x] <= level for x in loads if x <= cross.load)
            if not cross.censored:
                assert any(curve[x] > level for x in loads if x > cross.load)
        a, b = strict[p].load, loose[p].load
        assert a is None or (b is not None and b >= a)  # a looser level sustains no less
    assert not math.isnan(loose_level)
