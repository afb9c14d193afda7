"""Lift every benchmark kernel and time it against its Python loop.

    python -m benchmarks.lift.run [--quick] [--only NAME ...]

Per kernel: lifted or the reason it was not, how it was verified, synthesis and proof time,
and the speedup of the generated NumPy code over the Python loop.  Sizes: 1e6 elements for
vector kernels, 1024 x 1024 for matrix kernels (``--quick``: 1e4 and 64).  Kernels with three
nested loops (matrix products) run the Python loop at a smaller size and scale its time by the
ratio of loop iterations, ``(N / N_py) ** 3``; the table says so in ``python_size``.

Timings: the Python loop on Python lists (best of 3 when a run is under 0.5 s), the lifted kernel on
arrays already converted (best of 9) -- the kernel speedup -- and the lifted function called
on the same Python lists, conversion included (one run) -- the end-to-end speedup.
Results go to ``benchmarks/results/lift-<date>-<host>.json`` and a ``.md`` table beside it.
"""

from __future__ import annotations

import os

# One BLAS thread, set before NumPy loads: the Python loop is single-threaded too, and on a
# shared 2-core machine multithreaded BLAS spins (a 1e6 dot took 17 ms with 2 threads and
# 0.26 ms with 1 while other jobs ran).  Override by exporting the variables yourself.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import datetime as dt
import json
import platform
import socket
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.lift.kernels import KERNELS, Kernel
from opportune.lift import LiftError, lift
from opportune.lift._synth import same

FULL = {"vec": 1_000_000, "mat": 1024, "cube": 1024}
QUICK = {"vec": 10_000, "mat": 64, "cube": 64}
PY_CUBE = 96  # Python size for triple loops (1024**3 iterations would take ~10 minutes each)


def _best(f: Any, reps: int) -> float:
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def bench_kernel(
    k: Kernel, quick: bool, rng: np.random.Generator, backend: str = "numpy"
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "kernel": k.name,
        "suite": k.suite,
        "shape": k.shape,
        "expected_to_lift": k.expect_lift,
    }
    t0 = time.perf_counter()
    try:
        fast = lift(k.fn, backend=backend)
    except LiftError as e:
        row.update(lifted=False, reason=e.reason, synthesis_s=round(time.perf_counter() - t0, 4))
        return row
    row.update(
        lifted=True,
        verified=fast.verified,
        proof=fast.detail.get("proof", ""),
        synthesis_s=round(fast.detail["synthesis_s"], 4),
        verify_s=round(fast.detail["verify_s"], 4),
        candidate=fast.detail["candidate"],
    )
    n = (QUICK if quick else FULL)[k.shape]
    n_py = n if k.shape != "cube" else min(n, PY_CUBE if not quick else n)
    seed = int(rng.integers(1 << 30))
    args = k.args(n, np.random.default_rng(seed))
    py_args = args if n_py == n else k.args(n_py, np.random.default_rng(seed))
    t = time.perf_counter()
    want = k.fn(*py_args)
    t_py = time.perf_counter() - t
    if t_py < 0.5:  # the machine is shared: best of 3 for the loop too, when it is cheap
        t_py = min(t_py, _best(lambda: k.fn(*py_args), 2))
    scale = (n / n_py) ** 3 if k.shape == "cube" else 1.0
    # correctness at benchmark size (at the Python size for triple loops)
    got = fast(*py_args)
    want_t = want if isinstance(want, tuple) else (want,)
    got_t = got if isinstance(got, tuple) else (got,)
    row["output_matches"] = all(same(w, g) for w, g in zip(want_t, got_t))
    arrs = [fast._conv(a) for a in args]
    try:
        with np.errstate(all="ignore"):
            t_kernel = _best(lambda: fast.kernel(*arrs), 9)
    except Exception as e:  # noqa: BLE001 - reported in the row, like a not-lifted kernel
        row.update(lifted=False, reason=f"generated code raised at benchmark size: {e}")
        return row
    t = time.perf_counter()
    fast(*args)
    t_e2e = time.perf_counter() - t
    row.update(
        size=n,
        python_size=n_py,
        python_s=round(t_py * scale, 6),
        python_measured_s=round(t_py, 6),
        python_scaled=scale != 1.0,
        lifted_kernel_s=round(t_kernel, 6),
        lifted_e2e_s=round(t_e2e, 6),
        speedup_kernel=round(t_py * scale / t_kernel, 1),
        speedup_e2e=round(t_py * scale / t_e2e, 1),
        fallbacks=fast.fallbacks,
    )
    return row


def markdown(rows: list[dict[str, Any]], summary: dict[str, Any]) -> str:
    out = [
        f"# Lifting benchmark ({summary['date']}, {summary['host']}, {summary['backend']})",
        "",
        (
            f"{summary['kernels']} kernels: {summary['lifted']} lifted, {summary['proved']} proved, "
            f"{summary['mismatches']} with differing output; median kernel speedup "
            f"{summary['median_speedup_kernel']}x (end to end, list conversion included: "
            f"{summary['median_speedup_e2e']}x)."
        ),
        "",
        "| kernel | suite | lifted | verified | synth+proof s | size | Python s | kernel s | speedup | e2e speedup |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if not r["lifted"]:
            out.append(f"| {r['kernel']} | {r['suite']} | no: {r['reason'][:90]} | | | | | | | |")
            continue
        size = r["size"] if r["shape"] == "vec" else f"{r['size']}x{r['size']}"
        py = f"{r['python_s']:.3g}" + (
            f" (scaled from {r['python_size']}^3)" if r["python_scaled"] else ""
        )
        out.append(
            f"| {r['kernel']} | {r['suite']} | yes | {r['verified']} | "
            f"{r['synthesis_s'] + r['verify_s']:.2f} | {size} | {py} | {r['lifted_kernel_s']:.3g} | "
            f"{r['speedup_kernel']}x | {r['speedup_e2e']}x |"
        )
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (seconds, for CI)")
    ap.add_argument("--only", nargs="*", help="kernel names to run")
    ap.add_argument("--out", default="benchmarks/results", help="output folder")
    ap.add_argument("--backend", default="numpy", help="numpy (default), torch or jax")
    a = ap.parse_args()
    rng = np.random.default_rng(7)
    rows = []
    for k in KERNELS:
        if a.only and k.name not in a.only:
            continue
        r = bench_kernel(k, a.quick, rng, a.backend)
        rows.append(r)
        status = (
            f"{r['verified']:<8} {r.get('speedup_kernel', 0):>9}x"
            if r["lifted"]
            else "not lifted: " + r["reason"][:70]
        )
        print(f"{k.name:<20} {status}", flush=True)
    lifted = [r for r in rows if r["lifted"]]
    host = socket.gethostname().split(".")[0]
    date = dt.date.today().isoformat()
    summary = {
        "date": date,
        "host": host,
        "quick": a.quick,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "backend": a.backend,
        "load_average": list(os.getloadavg()),
        "cpus": os.cpu_count(),
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "kernels": len(rows),
        "lifted": len(lifted),
        "proved": sum(r["verified"] == "proved" for r in lifted),
        "mismatches": sum(not r["output_matches"] for r in lifted),
        "median_speedup_kernel": round(statistics.median(r["speedup_kernel"] for r in lifted), 1)
        if lifted
        else None,
        "median_speedup_e2e": round(statistics.median(r["speedup_e2e"] for r in lifted), 1)
        if lifted
        else None,
        "unexpected": [r["kernel"] for r in rows if r["lifted"] != r["expected_to_lift"]],
        "sizes": QUICK if a.quick else FULL,
        "python_cube_size": PY_CUBE,
    }
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"lift-{date}-{host}" + ("" if a.backend == "numpy" else f"-{a.backend}")
    stem += "-quick" if a.quick else ""
    (out / f"{stem}.json").write_text(json.dumps({"summary": summary, "kernels": rows}, indent=1))
    (out / f"{stem}.md").write_text(markdown(rows, summary))
    print(json.dumps(summary, indent=1))
    print(f"wrote {out / stem}.json and .md")


if __name__ == "__main__":
    main()
