"""Steady state of the judged point: ``python -m benchmarks.serve.steady [--curve]``.

The issue judges the mixed workload at load 0.9. Near saturation a queue with widely varying
program sizes takes thousands of programs to settle, so the sweep's 300-program runs can
measure the warm-up. This runs the judged point with 1,200 and 2,400 programs and three seeds
and writes ``benchmarks/results/serve_sim_steady.json``; ``--curve`` instead runs the mixed
latency curve with 1,200 programs (one seed) up to load 1.2 and derives throughput at equal
latency from it, written to ``benchmarks/results/serve_sim_steady_curve.json``; ``--criteria``
runs the other two judged comparisons (chat: PLAS against FCFS; tree: ATLAS against PLAS) at
load 0.9 with four times the sweep's programs, written to
``benchmarks/results/serve_sim_steady_criteria.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from opportune.serve import simulate, sustained_loads

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


CURVE_LOADS = (0.05, 0.5, 0.7, 0.8, 0.9, 1.0, 1.2)
MULTIPLES = (2.0, 5.0)


def _point(args: tuple[str, str, float]) -> dict[str, Any]:
    engine, policy, load = args
    r = simulate("mixed", policy, load=load, programs=1200, seed=0, engine=engine)
    keep = ("engine", "policy", "load", "mean_norm_latency", "arrival_rate_programs_per_s")
    return {k: getattr(r, k) for k in keep} | {"mean_batch": r.mean_batch}


def curve() -> None:
    jobs = [(e, p, x) for e in ENGINES for p in POLICIES for x in CURVE_LOADS]
    t0 = time.monotonic()
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = list(pool.map(_point, jobs))
    result: dict[str, Any] = {}
    for e in ENGINES:
        curves = {
            p: {
                r["load"]: r["mean_norm_latency"]
                for r in rows
                if (r["engine"], r["policy"]) == (e, p)
            }
            for p in POLICIES
        }
        per_load = next(
            r["arrival_rate_programs_per_s"] / r["load"] for r in rows if r["engine"] == e
        )
        for m in MULTIPLES:
            level, found = sustained_loads(curves, multiple=m)
            cell = {
                "level_ms_per_token": level * 1000,
                "load": {p: c.load for p, c in found.items()},
                "censored": {p: c.censored for p, c in found.items()},
                "programs_per_s": {
                    p: None if c.load is None else c.load * per_load for p, c in found.items()
                },
            }
            for p in ("plas", "atlas", "srpt"):
                a, f = found[p], found["fcfs"]
                cell[f"{p}_over_fcfs"] = None if not (a.load and f.load) else a.load / f.load
            result.setdefault(e, {})[f"{m:g}x"] = cell
            shown = " ".join(
                f"{p} {'-' if c.load is None else f'{c.load:.2f}'}{'*' if c.censored else ''}"
                for p, c in found.items()
            )
            print(
                f"{e:14} {m:g}x ({level * 1000:.1f} ms/token): {shown}  atlas/fcfs "
                f"{cell['atlas_over_fcfs']}  plas/fcfs {cell['plas_over_fcfs']}"
            )
    _write("serve_sim_steady_curve.json", {
        "workload": "mixed",
        "programs": 1200,
        "seed": 0,
        "loads": list(CURVE_LOADS),
        "seconds": time.monotonic() - t0,
        "throughput_at_equal_latency": result,
        "runs": rows,
    })


CRITERIA = (("chat", ("fcfs", "plas"), 1600), ("tree", ("plas", "atlas"), 480))


def _criterion(args: tuple[str, str, str, int, int]) -> dict[str, Any]:
    engine, workload, policy, programs, seed = args
    r = simulate(workload, policy, load=0.9, programs=programs, seed=seed, engine=engine)
    keep = ("engine", "workload", "policy", "programs", "seed", "mean_norm_latency")
    return {k: getattr(r, k) for k in keep} | {
        "norm_latency_by_arrival_quarter": r.norm_latency_by_arrival_quarter
    }


def criteria() -> None:
    jobs = [
        (e, w, p, n, s) for e in ENGINES for w, pols, n in CRITERIA for s in SEEDS for p in pols
    ]
    t0 = time.monotonic()
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = list(pool.map(_criterion, jobs))
    summary: dict[str, Any] = {}
    for e in ENGINES:
        for w, (base, better), n in CRITERIA:
            at = {
                p: statistics.mean(
                    r["mean_norm_latency"]
                    for r in rows
                    if (r["engine"], r["workload"], r["policy"]) == (e, w, p)
                )
                for p in (base, better)
            }
            ratio = at[base] / at[better]
            summary.setdefault(e, {})[w] = {**at, f"{base}_over_{better}": ratio, "programs": n}
            print(
                f"{e:14} {w:5} programs={n}: {base} {at[base] * 1000:.2f} {better} "
                f"{at[better] * 1000:.2f}  {base}/{better} {ratio:.3f}x"
            )
    _write("serve_sim_steady_criteria.json", {
        "load": 0.9,
        "seeds": list(SEEDS),
        "seconds": time.monotonic() - t0,
        "mean_over_seeds": summary,
        "runs": rows,
    })


def _write(name: str, result: dict[str, object]) -> None:
    out = RESULTS / name
    out.write_text(json.dumps(result, indent=1))
    print(f"wrote {out.relative_to(REPO)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--curve", action="store_true", help="the mixed latency curve instead")
    parser.add_argument("--criteria", action="store_true", help="chat and tree comparisons instead")
    args = parser.parse_args()
    if args.curve:
        curve()
        return
    if args.criteria:
        criteria()
        return
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
    _write("serve_sim_steady.json", {
        "workload": "mixed",
        "load": 0.9,
        "seeds": list(SEEDS),
        "seconds": time.monotonic() - t0,
        "mean_over_seeds": summary,
        "runs": rows,
    })


if __name__ == "__main__":
    main()
