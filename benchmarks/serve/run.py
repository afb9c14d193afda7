"""Benchmark of program-aware serving: ``python -m benchmarks.serve.run [--quick]``.

1. Simulated mean normalised latency against load for every engine profile, policy and
   workload, written to ``benchmarks/results/serve_sim.json`` and plotted to
   ``benchmarks/results/serve_sim.png``; from the same curves, the load (programs/s) each policy
   sustains before its latency crosses 2x and 5x the unloaded latency (Autellix's metric).
2. An end-to-end run of concurrent programs through the real gateway in front of a real
   loopback engine, fcfs against plas and atlas: ``benchmarks/results/serve_e2e.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.serve._e2e import run_e2e
from benchmarks.serve._sweep import (
    ENGINES,
    POLICIES,
    WORKLOADS,
    aggregate,
    capacity,
    plot,
    programs_sensitivity,
    sweep,
)

RESULTS = Path(__file__).resolve().parent.parent / "results"
REPO = RESULTS.parent.parent
# Latency levels for throughput at equal latency, as multiples of FCFS's latency at the lowest
# load of the grid (a near-idle engine). Fixed before any run; the same for every policy.
MULTIPLES = (2.0, 5.0)


def _judged(agg: dict) -> dict[str, float]:
    at = lambda w, p: agg[w][p]["0.9"]["mean_norm_latency"]
    return {
        "mixed_fcfs_over_atlas": at("mixed", "fcfs") / at("mixed", "atlas"),
        "mixed_fcfs_over_plas": at("mixed", "fcfs") / at("mixed", "plas"),
        "mixed_fcfs_over_atlas_critical_path_norm": agg["mixed"]["fcfs"]["0.9"][
            "mean_norm_latency_critical_path"
        ]
        / agg["mixed"]["atlas"]["0.9"]["mean_norm_latency_critical_path"],
        "mixed_fcfs_over_srpt_bound": at("mixed", "fcfs") / at("mixed", "srpt"),
        "chat_fcfs_over_plas": at("chat", "fcfs") / at("chat", "plas"),
        "tree_plas_over_atlas": at("tree", "plas") / at("tree", "atlas"),
        "tree_fcfs_over_atlas": at("tree", "fcfs") / at("tree", "atlas"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer programs, loads and seeds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--engine",
        action="append",
        choices=ENGINES,
        help="engine profile (repeatable; default all)",
    )
    parser.add_argument("--skip-e2e", action="store_true", help="only the simulated sweep")
    parser.add_argument("--skip-sim", action="store_true", help="only the gateway end to end")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    console = Console()

    suffix = "_quick" if args.quick else ""
    if not args.skip_sim:
        engines = args.engine or list(ENGINES)
        # From a near-idle engine (the latency reference) to twice the capacity, where FCFS
        # has long blown up; loads above 1.0 only finish because the run has finitely many
        # programs, so latencies there grow with the number of programs.
        loads = (
            [0.05, 0.5, 0.9, 1.2, 2.0]
            if args.quick
            else [0.05, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5, 2.0]
        )
        seeds = [0] if args.quick else [0, 1]
        scale = 0.3 if args.quick else 1.0
        t0 = time.monotonic()
        rows = sweep(engines, loads, seeds, scale, args.workers)
        agg = aggregate(rows)
        sim_s = time.monotonic() - t0
        judged = {e: _judged(agg[e]) for e in engines}
        cap = capacity(agg, MULTIPLES)
        sizes = [60, 120] if args.quick else [150, 300, 600, 1200]
        sensitivity = programs_sensitivity(engines, sizes, args.workers)
        sim_s = time.monotonic() - t0
        sim_json = RESULTS / f"serve_sim{suffix}.json"
        sim_png = RESULTS / f"serve_sim{suffix}.png"
        sim_json.write_text(
            json.dumps(
                {
                    "engines": engines,
                    "loads": loads,
                    "seeds": seeds,
                    "scale": scale,
                    "seconds": sim_s,
                    "plot": str(sim_png.relative_to(REPO)),
                    "judged_at_load_0.9": judged,
                    "throughput_at_equal_latency": {
                        "rule": (
                            "level = multiple x FCFS mean normalised latency at the lowest load; "
                            "a policy's sustained load is where its mean normalised latency "
                            "first exceeds the level (interpolated on the load grid); censored = "
                            "never exceeded on the grid (a lower bound)"
                        ),
                        "multiples": list(MULTIPLES),
                        "by_engine": cap,
                    },
                    "mixed_at_0.9_by_programs": sensitivity,
                    "mean_over_seeds": agg,
                    "runs": rows,
                },
                indent=1,
            )
        )
        plot(agg, str(sim_png))
        for e in engines:
            _print_engine(console, e, agg[e], judged[e], cap[e], sim_s)
        for r in sensitivity:
            console.print(
                f"  mixed 0.9 ({r['engine']}) {r['policy']:5} programs={r['programs']:5}: "
                f"{r['mean_norm_latency'] * 1000:.1f} ms/token"
            )
        console.print(f"wrote {sim_json.relative_to(REPO)} and {sim_png.relative_to(REPO)}")

    if args.skip_e2e:
        return
    e2e = run_e2e(
        ["fcfs", "plas", "atlas"],
        programs=30 if args.quick else 90,
        slots=8,
        tpot=0.005,
        load=0.95,
        rounds=1 if args.quick else 2,
    )
    e2e_json = RESULTS / f"serve_e2e{suffix}.json"
    e2e_json.write_text(json.dumps(e2e, indent=1))
    table = Table(
        title=f"gateway end to end: {e2e['programs']} programs, {e2e['slots']} engine slots, "
        f"mean of {e2e['rounds']} interleaved rounds"
    )
    for col in (
        "policy",
        "completed",
        "mean norm (ms/token)",
        "p95 norm",
        "chat",
        "tools",
        "tree",
        "wall s",
    ):
        table.add_column(col, justify="right")
    for p, r in e2e["policies"].items():
        k = r["mean_norm_latency_by_kind"]
        table.add_row(
            p,
            str(r["completed"]),
            f"{r['mean_norm_latency'] * 1000:.1f}",
            f"{r['p95_norm_latency'] * 1000:.1f}",
            f"{k['chat'] * 1000:.1f}",
            f"{k['tools'] * 1000:.1f}",
            f"{k['tree'] * 1000:.1f}",
            f"{r['wall_s']:.1f}",
        )
    console.print(table)
    console.print(f"wrote {e2e_json.relative_to(REPO)}")


def _print_engine(
    console: Console, engine: str, agg: dict, judged: dict, cap: dict, s: float
) -> None:
    table = Table(title=f"({engine}) mean normalised latency (ms/token) at load 0.9  [{s:.0f} s]")
    table.add_column("workload")
    for p in POLICIES:
        table.add_column(p, justify="right")
    for w in WORKLOADS:
        table.add_row(w, *(f"{agg[w][p]['0.9']['mean_norm_latency'] * 1000:.1f}" for p in POLICIES))
    console.print(table)
    for k, v in judged.items():
        console.print(f"  {k}: {v:.2f}x")
    table = Table(title=f"({engine}) load sustained at equal latency (* = censored, a lower bound)")
    for col in ("workload", "level", "ms/token", *POLICIES, "atlas/fcfs", "plas/fcfs"):
        table.add_column(col, justify="right")
    for w in WORKLOADS:
        for level, cell in cap[w].items():
            pols = cell["policies"]
            shown = [
                "-"
                if pols[p]["load"] is None
                else f"{pols[p]['load']:.2f}{'*' if pols[p]['censored'] else ''}"
                for p in POLICIES
            ]
            ratios = [_ratio(cell[f"{p}_over_fcfs"]) for p in ("atlas", "plas")]
            table.add_row(w, level, f"{cell['level_ms_per_token']:.1f}", *shown, *ratios)
    console.print(table)


def _ratio(r: dict) -> str:
    if r["ratio"] is None:
        return "-"
    sign = {"exact": "", "at_least": ">=", "at_most": "<="}[r["kind"]]
    return f"{sign}{r['ratio']:.2f}x"


if __name__ == "__main__":
    main()
