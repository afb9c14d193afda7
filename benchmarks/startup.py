"""Startup of the ``opportune`` command: lazily loaded command groups against eager ones.

``python -m benchmarks.startup [--repeat 5] [--baseline REV]`` times, side by side in one run,
the start of ``opportune run`` on a script that only prints, ``python -m opportune run`` on it,
``opportune --help`` and plain ``python`` on the same script. "before" is the working tree with
the command line files (``src/opportune/__init__.py``, ``__main__.py`` and ``cli/``) taken from
REV, where every command group was imported at start; "after" is the working tree as it is. Both
run from a copy of ``src`` put first on ``PYTHONPATH``, its bytecode compiled as ``pip install``
compiles it, so the runtime, the compiler and the libraries are the same and only the start-up
path differs. The variants take turns in every
round, so a busy machine slows them alike; the best of the rounds is reported.

``--whole-tree`` takes all of ``src`` from REV for "before" (to compare the runtime's own
start-up too), ``--compute`` adds the apps benchmark's pure-Python probe (``python FILE`` against
``python -m opportune run FILE``, the core overhead row of ``benchmarks/runner.py``), and
``--tag NAME`` writes ``startup-<date>-vm-NAME.json``. The program's compiled code is kept in a
compile cache of the run's own, so after the first round every start finds it.

One ``python -X importtime`` run per side gives how many modules ``opportune run`` imports, the
summed import time, and which of the heavy libraries were loaded at all.

Results go to ``benchmarks/results/startup-<date>-vm.json``; a table of the figures and their
ratio to plain Python is printed.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

# The last commit whose command line imported every group at start.
BASELINE_REV = "33cf623"

# Command-line files that differ between the sides; everything else is shared.
CLI_FILES = ("src/opportune/__init__.py", "src/opportune/__main__.py", "src/opportune/cli")

HEAVY = (
    "aiohttp",
    "llama_cpp",
    "matplotlib",
    "numpy",
    "openai",
    "opportune.cli.lift",
    "opportune.cli.model",
    "opportune.cli.serve",
    "opportune.cli.sim",
    "opportune.lift",
    "opportune.llm",
    "opportune.model",
    "opportune.serve",
    "opportune.sim",
    "pydantic",
    "rich",
    "z3",
)


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def _make_tree(dest: Path, rev: str | None, whole: bool = False) -> Path:
    """A copy of ``src`` with the command line files as at ``rev`` (None: as they are now), or,
    with ``whole``, all of ``src`` as at ``rev``."""
    src = dest / "src"
    if rev is not None and whole:
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    else:
        shutil.copytree(
            ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    if rev is not None and not whole:
        shutil.rmtree(src / "opportune" / "cli")
        (src / "opportune" / "cli").mkdir()
        listed = _git("ls-tree", "-r", "--name-only", rev, "--", *CLI_FILES).split()
        if not listed:
            raise SystemExit(f"{rev}: no command line files there; pass --baseline REV")
        for path in listed:
            (dest / path).parent.mkdir(parents=True, exist_ok=True)
            (dest / path).write_text(_git("show", f"{rev}:{path}"))
    # As installed: pip writes every module's bytecode at install time. Without it (and with
    # PYTHONDONTWRITEBYTECODE set, as in many development shells) each start would compile
    # the whole runtime from source, and that, not importing, is what would be measured.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True,
                   capture_output=True)
    return src


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, check=False, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def _imports(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Modules ``cmd`` imports, from ``-X importtime``: count, summed time, heavy ones."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd], check=False, env=env, capture_output=True, text=True
    )
    names: list[str] = []
    total_us = 0
    outermost: dict[str, float] = {}  # imports no other import started, with what they pulled in
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:"):].split("|")
        names.append(name.strip())
        total_us += int(self_us)
        if not name.startswith("  "):
            outermost[name.strip()] = int(cumulative_us) / 1e6
    loaded = set(names)
    largest = sorted(outermost.items(), key=lambda item: -item[1])[:6]
    return {
        "modules": len(names),
        "import_s": total_us / 1e6,
        "heavy_loaded": [h for h in HEAVY if h in loaded],
        "largest_imports_s": dict(largest),
    }


# The core overhead probe of the apps benchmark (benchmarks/runner.py): pure Python, no calls.
COMPUTE = ROOT / "benchmarks" / "apps" / "_overhead_compute.py"


def measure(repeat: int, baseline: str, whole: bool = False,
            compute: bool = False) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="opportune-startup-") as tmp:
        work = Path(tmp)
        script = work / "hello.py"
        script.write_text("print(1)\n")
        sides = {
            "before": _make_tree(work / "before", baseline, whole),
            "after": _make_tree(work / "after", None),
        }
        # The program's compiled code is kept in a compile cache of this run's (after the
        # first round, every start finds it; trees without the cache ignore the setting).
        cache = work / "compile-cache"
        envs = {side: {**os.environ, "PYTHONPATH": str(src),
                       "OPPORTUNE_COMPILE_CACHE": str(cache)}
                for side, src in sides.items()}
        # The console script only imports opportune.cli.app and calls main(); running it with
        # this interpreter and the side's PYTHONPATH is what ``opportune`` does.
        console = [
            sys.executable,
            "-c",
            "import sys; from opportune.cli.app import main; sys.argv[0] = 'opportune'; main()",
        ]
        commands = {
            "opportune run": [*console, "run", str(script)],
            "python -m opportune run": [sys.executable, "-m", "opportune", "run", str(script)],
            "opportune --help": [*console, "--help"],
        }
        variants: dict[str, tuple[list[str], dict[str, str]]] = {
            "python": ([sys.executable, str(script)], dict(os.environ)),
        }
        if compute:
            commands["compute: python -m opportune run"] = [
                sys.executable, "-m", "opportune", "run", str(COMPUTE), "600000"]
            variants["compute: python"] = ([sys.executable, str(COMPUTE), "600000"],
                                           dict(os.environ))
        for name, cmd in commands.items():
            for side in sides:
                variants[f"{name} [{side}]"] = (cmd, envs[side])
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(repeat):
            for name, (cmd, env) in variants.items():
                times[name].append(_time(cmd, env))
        imports = {side: _imports(commands["opportune run"][1:], envs[side]) for side in sides}

    best = {name: min(ts) for name, ts in times.items()}
    plain = best["python"]
    ratios = {name: t / plain for name, t in best.items() if not name.startswith("compute")}
    if compute:
        ratios.update({name: t / best["compute: python"] for name, t in best.items()
                       if name.startswith("compute")})
    return {
        "date": date.today().isoformat(),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_avg_1m": os.getloadavg()[0],
        },
        "baseline_rev": baseline,
        "baseline_whole_tree": whole,
        "script": "print(1)",
        "repeat": repeat,
        "best_s": best,
        "all_s": times,
        "ratio_to_python": ratios,
        "speedup": {
            name: best[f"{name} [before]"] / best[f"{name} [after]"] for name in commands
        },
        "opportune_run_imports": imports,
    }


def _print(result: dict[str, Any], out: Path) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"startup, best of {result['repeat']} (before = {result['baseline_rev']})")
    table.add_column("command")
    table.add_column("best s", justify="right")
    table.add_column("/ python", justify="right")
    for name, seconds in result["best_s"].items():
        table.add_row(escape(name), f"{seconds:.3f}", f"{result['ratio_to_python'][name]:.2f}x")
    console = Console()
    console.print(table)
    for name, factor in result["speedup"].items():
        console.print(f"{name}: {factor:.2f}x faster than before")
    for side, info in result["opportune_run_imports"].items():
        heavy = ", ".join(info["heavy_loaded"]) or "none"
        console.print(
            f"opportune run \\[{side}]: {info['modules']} modules, {info['import_s']:.3f}s "
            f"importing; heavy: {heavy}",
            soft_wrap=True,
        )
        largest = ", ".join(f"{n} {t:.3f}s" for n, t in info["largest_imports_s"].items())
        console.print(f"  largest: {largest}", soft_wrap=True)
    console.print(f"written to {out.relative_to(ROOT)}")


def main(
    repeat: Annotated[int, typer.Option(min=1, help="Rounds; the best of them is kept.")] = 5,
    baseline: Annotated[
        str, typer.Option(help="Commit whose command line files make the 'before' side.")
    ] = BASELINE_REV,
    whole_tree: Annotated[
        bool, typer.Option(help="Take all of src from the baseline, not only the command line.")
    ] = False,
    compute: Annotated[
        bool, typer.Option(help="Also time the apps benchmark's pure-Python probe as commands.")
    ] = False,
    tag: Annotated[str | None, typer.Option(help="Name part of the result file.")] = None,
) -> None:
    """Time the start of opportune's command line before and after lazy command groups."""
    result = measure(repeat, baseline, whole_tree, compute)
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = f"-{tag}" if tag else ""
    out = RESULTS / f"startup-{result['date']}-vm{suffix}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    _print(result, out)


if __name__ == "__main__":
    typer.run(main)
