"""Steady state of the judged point: ``python -m benchmarks.serve.steady``.

The issue judges the mixed workload at load 0.9. Near saturation a queue with widely varying
program sizes takes thousands of programs to settle, so the sweep's 300-program runs can
measure the warm-up. This runs the judged point with 1,200 and 2,400 programs and three seeds
and writes ``benchmarks/results/serve_sim_steady.json``.
"""

from __future__ import annotations

import json
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from opportune.serve import simulate

RESULTS = Path(__file__).resolve().parent.parent / "results"
REPO = RESULTS.parent.parent
ENGINES = ("small", "llama8b-a100")
POLICIES = ("fcfs", "plas", "atlas", "srpt")
SIZES = (1200, 2400)
SEEDS = (0, 1, 2)


def _one(args: tuple[str, str, int, int]) -> dict[str, Any]:
    engine, policy, programs, seed = args
    r = simulate("mixed", policy, load=0.9, programs=programs, seed=seed, engine=engine)
    keep = (
        "engine",
        "policy",
        "programs",
        "seed",
        "mean_norm_latency",
        "p95_norm_latency",
        "norm_latency_by_arrival_quarter",
        "mean_batch",
        "mean_kv_fraction",
    )
    return {k: getattr(r, k) for k in keep}


def main() -> None:
    jobs = [(e, p, n, s) for e in ENGINES for n in SIZES for s in SEEDS for p in POLICIES]
    t0 = time.monotonic()
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = list(pool.map(_one, jobs))
    summary: dict[str, Any] = {}
    for e in ENGINES:
        for n in SIZES:
            cell = {}
            for p in POLICIES:
                vals = [
                    r["mean_norm_latency"]
                    for r in rows
                    if (r["engine"], r["policy"], r["programs"]) == (e, p, n)
                ]
                cell[p] = statistics.mean(vals)
            ratios = []
            for s in SEEDS:
                at = {
                    r["policy"]: r["mean_norm_latency"]
                    for r in rows
                    if (r["engine"], r["programs"], r["seed"]) == (e, n, s)
                }
                ratios.append(at["fcfs"] / at["atlas"])
            cell["fcfs_over_atlas"] = cell["fcfs"] / cell["atlas"]
            cell["fcfs_over_plas"] = cell["fcfs"] / cell["plas"]
            cell["fcfs_over_srpt"] = cell["fcfs"] / cell["srpt"]
            cell["fcfs_over_atlas_per_seed"] = ratios
            summary.setdefault(e, {})[str(n)] = cell
            print(
                f"{e:14} programs={n:5}: "
                + " ".join(f"{p} {cell[p] * 1000:.1f}" for p in POLICIES)
                + f"  fcfs/atlas {cell['fcfs_over_atlas']:.2f}x per seed "
                + " ".join(f"{x:.2f}" for x in ratios)
            )
    out = RESULTS / "serve_sim_steady.json"
    out.write_text(
        json.dumps(
            {
                "workload": "mixed",
                "load": 0.9,
                "seeds": list(SEEDS),
                "seconds": time.monotonic() - t0,
                "mean_over_seeds": summary,
                "runs": rows,
            },
            indent=1,
        )
    )
    print(f"wrote {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
