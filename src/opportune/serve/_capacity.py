"""Throughput at equal latency: the load each policy sustains before its latency crosses a level.

Autellix reports its gains this way (programs per second at the same latency), not as a latency
ratio at one load. Near saturation the two differ a lot: a policy whose latency stays flat while
first-come-first-served climbs sustains a higher load at any level, even when the latencies at
one fixed load differ by less.

The rule, applied identically to every policy of a workload: the level is ``multiple`` times the
reference policy's mean normalised latency at the lowest load of the grid (a near-idle engine);
a policy's sustained load is found by walking its latency curve up the load grid to the first
load whose latency exceeds the level, and interpolating between that load and the one below it
(linearly in load, geometrically in latency, since latency grows roughly exponentially near
saturation). A curve that never crosses is reported at the grid's highest load and marked
censored (it sustains at least that much); one already above the level at the lowest load has
no sustained load.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

__all__ = ["Crossing", "load_at_latency", "sustained_loads"]


class Crossing(NamedTuple):
    """The highest load that keeps latency at or below a level (None: not even the lowest)."""

    load: float | None
    censored: bool  # True: never crossed on the grid, so ``load`` is a lower bound


def load_at_latency(points: Mapping[float, float], level: float) -> Crossing:
    """Where the latency curve ``points`` (load -> latency) first rises above ``level``."""
    if not points:
        raise ValueError("load_at_latency needs at least one (load, latency) point")
    if not level > 0:
        raise ValueError(f"level={level}: the latency level must be positive")
    loads = sorted(points)
    below: float | None = None
    for load in loads:
        latency = points[load]
        if latency > level:
            if below is None:
                return Crossing(None, False)
            lo, hi = math.log(points[below]), math.log(latency)
            frac = (math.log(level) - lo) / (hi - lo) if hi > lo else 1.0
            return Crossing(below + frac * (load - below), False)
        below = load
    return Crossing(loads[-1], True)


def sustained_loads(
    curves: Mapping[str, Mapping[float, float]],
    *,
    multiple: float,
    reference: str = "fcfs",
) -> tuple[float, dict[str, Crossing]]:
    """The level (``multiple`` x the reference's latency at the lowest load) and each policy's load.

    ``curves`` maps policy -> load -> mean normalised latency, all on one workload and engine.
    """
    if reference not in curves:
        raise ValueError(
            f"reference policy {reference!r} has no latency curve; have {', '.join(curves)}"
        )
    if not multiple > 1:
        raise ValueError(f"multiple={multiple}: the level must lie above the unloaded latency")
    ref = curves[reference]
    level = multiple * ref[min(ref)]
    return level, {p: load_at_latency(c, level) for p, c in curves.items()}
