"""Simulated normalised latency against load, for every policy and workload."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Any

from opportune.serve import simulate

POLICIES = ("fcfs", "mlfq", "plas", "atlas", "srpt")
WORKLOADS = ("chat", "tools", "tree", "mixed")
# Tree programs have ~160 calls: fewer of them keep each run to seconds.
PROGRAMS = {"chat": 400, "tools": 300, "tree": 120, "mixed": 300}


def _one(args: tuple[str, str, float, int, int]) -> dict[str, Any]:
    workload, policy, load, programs, seed = args
    return simulate(workload, policy, load=load, programs=programs, seed=seed).as_dict()


def sweep(loads: list[float], seeds: list[int], scale: float, workers: int) -> list[dict[str, Any]]:
    jobs = [
        (w, p, load, max(12, int(PROGRAMS[w] * scale)), seed)
        for w in WORKLOADS
        for p in POLICIES
        for load in loads
        for seed in seeds
    ]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_one, jobs, chunksize=2))


def aggregate(rows: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, dict[str, float]]]]:
    """workload -> policy -> load -> mean over seeds of the headline metrics."""
    out: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    keys = (
        "mean_norm_latency",
        "p95_norm_latency",
        "mean_norm_latency_critical_path",
        "throughput_programs_per_s",
        "preemptions",
    )
    for r in rows:
        cell = (
            out.setdefault(r["workload"], {})
            .setdefault(r["policy"], {})
            .setdefault(f"{r['load']:g}", {k: 0.0 for k in keys} | {"runs": 0})
        )
        for k in keys:
            cell[k] += float(r[k])
        cell["runs"] += 1
    for w in out.values():
        for p in w.values():
            for cell in p.values():
                n = cell.pop("runs")
                for k in keys:
                    cell[k] /= n
    return out


def plot(agg: dict[str, Any], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(WORKLOADS), figsize=(4.2 * len(WORKLOADS), 3.8))
    for ax, w in zip(axes, WORKLOADS):
        for p in POLICIES:
            series = agg[w][p]
            xs = sorted(series, key=float)
            ax.plot(
                [float(x) for x in xs],
                [series[x]["mean_norm_latency"] * 1000 for x in xs],
                marker="o",
                label=p,
                linestyle="--" if p == "srpt" else "-",
            )
        ax.set_title(w)
        ax.set_xlabel("load (offered work / capacity)")
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("mean normalised latency (ms / token)")
    axes[-1].legend()
    fig.suptitle("Simulated program latency by scheduling policy (srpt: clairvoyant bound)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
