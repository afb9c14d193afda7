"""Simulated normalised latency against load, for every engine profile, policy and workload."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Any

from opportune.serve import simulate, sustained_loads

POLICIES = ("fcfs", "mlfq", "plas", "atlas", "srpt")
ENGINES = ("small", "llama8b-a100", "llama8b-a100-no-prefix-cache")
WORKLOADS = ("chat", "tools", "tree", "mixed")
# Tree programs have ~160 calls: fewer of them keep each run to seconds.
PROGRAMS = {"chat": 400, "tools": 300, "tree": 120, "mixed": 300}


def _one(args: tuple[str, str, str, float, int, int]) -> dict[str, Any]:
    engine, workload, policy, load, programs, seed = args
    return simulate(
        workload, policy, load=load, programs=programs, seed=seed, engine=engine
    ).as_dict()


def sweep(
    engines: list[str], loads: list[float], seeds: list[int], scale: float, workers: int
) -> list[dict[str, Any]]:
    jobs = [
        (e, w, p, load, max(12, int(PROGRAMS[w] * scale)), seed)
        for e in engines
        for w in WORKLOADS
        for p in POLICIES
        for load in loads
        for seed in seeds
    ]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_one, jobs, chunksize=2))


def aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """engine -> workload -> policy -> load -> mean over seeds of the headline metrics."""
    out: dict[str, Any] = {}
    keys = (
        "mean_norm_latency",
        "p95_norm_latency",
        "mean_norm_latency_critical_path",
        "throughput_programs_per_s",
        "arrival_rate_programs_per_s",
        "preemptions",
        "mean_batch",
        "mean_kv_fraction",
    )
    for r in rows:
        cell = (
            out.setdefault(r["engine"], {})
            .setdefault(r["workload"], {})
            .setdefault(r["policy"], {})
            .setdefault(f"{r['load']:g}", {k: 0.0 for k in keys} | {"runs": 0})
        )
        for k in keys:
            cell[k] += float(r[k])
        cell["runs"] += 1
    for e in out.values():
        for w in e.values():
            for p in w.values():
                for cell in p.values():
                    n = cell.pop("runs")
                    for k in keys:
                        cell[k] /= n
    return out


def capacity(agg: dict[str, Any], multiples: tuple[float, ...]) -> dict[str, Any]:
    """Per engine, workload and latency level: the load (and programs/s) each policy sustains.

    The arrival rate per unit of load depends only on the workload and the engine, so the ratio
    of two policies' sustained loads is also the ratio of their throughputs in programs/s.
    """
    out: dict[str, Any] = {}
    for engine, by_w in agg.items():
        for w, by_p in by_w.items():
            curves = {
                p: {float(x): c["mean_norm_latency"] for x, c in s.items()} for p, s in by_p.items()
            }
            any_load = next(iter(by_p["fcfs"]))
            per_load = by_p["fcfs"][any_load]["arrival_rate_programs_per_s"] / float(any_load)
            for m in multiples:
                level, found = sustained_loads(curves, multiple=m)
                cell = {"level_ms_per_token": level * 1000, "policies": {}}
                for p, cross in found.items():
                    cell["policies"][p] = {
                        "load": cross.load,
                        "censored": cross.censored,
                        "programs_per_s": None if cross.load is None else cross.load * per_load,
                    }
                for p in ("plas", "atlas", "srpt"):
                    a, f = found[p], found["fcfs"]
                    ratio = None if not (a.load and f.load) else a.load / f.load
                    # A censored numerator makes the ratio a lower bound; a censored denominator
                    # an upper bound; both censored, no ratio.
                    kind = (
                        "none"
                        if ratio is None or (a.censored and f.censored)
                        else "at_least"
                        if a.censored
                        else "at_most"
                        if f.censored
                        else "exact"
                    )
                    cell[f"{p}_over_fcfs"] = {
                        "ratio": ratio if kind != "none" else None,
                        "kind": kind,
                    }
                out.setdefault(engine, {}).setdefault(w, {})[f"{m:g}x"] = cell
    return out


def plot(agg: dict[str, Any], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    engines = list(agg)
    fig, grid = plt.subplots(
        len(engines),
        len(WORKLOADS),
        figsize=(4.2 * len(WORKLOADS), 3.6 * len(engines)),
        squeeze=False,
    )
    for row, engine in zip(grid, engines):
        _plot_row(row, agg[engine], engine)
    grid[-1][-1].legend()
    fig.suptitle("Simulated program latency by scheduling policy (srpt: clairvoyant reference)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_row(axes: Any, agg: dict[str, Any], engine: str) -> None:
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
        ax.set_title(f"{w} ({engine})")
        ax.set_xlabel("load (offered work / capacity)")
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("mean normalised latency (ms / token)")


def _sized(args: tuple[str, str, int]) -> dict[str, Any]:
    engine, policy, programs = args
    r = simulate("mixed", policy, load=0.9, programs=programs, seed=0, engine=engine)
    return {"engine": engine, "policy": policy, "programs": programs} | {
        k: getattr(r, k)
        for k in (
            "mean_norm_latency",
            "p95_norm_latency",
            "norm_latency_by_arrival_quarter",
            "mean_batch",
            "mean_kv_fraction",
            "makespan_s",
        )
    }


def programs_sensitivity(
    engines: list[str], sizes: list[int], workers: int
) -> list[dict[str, Any]]:
    """Mixed at load 0.9 with more and more programs: has the mean latency settled?

    Near saturation a queue takes long to reach its steady state, so a run of a few hundred
    programs may measure a transient; the judged ratio is only as good as its convergence.
    """
    jobs = [(e, p, n) for e in engines for p in ("fcfs", "atlas", "srpt") for n in sizes]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_sized, jobs))
