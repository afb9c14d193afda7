"""The fixed cost of a program under opportune: compiling it, and starting and ending a run.

``python -m benchmarks.compile_cost [--repeat 3] [--against REV] [--profile] [--replay N]
[--name TASK ...] [--tag NAME]``

Every program of the Quasar AgentDojo replay (``../shared/benchmarks/quasar_agentdojo`` beside the
repository, or ``--data``) and of the differential corpus (``tests/core/programs``) is compiled the way
``opportune.run_source`` compiles it (the replay's program text, with its final expression
captured), pass by pass: ``ast.parse``, each pass of ``compiler.transform.passes`` and CPython's
``compile()``. Each is timed from source every time (no cache: a code action written by an LLM
is always new); the best of ``--repeat`` rounds is kept. Plain ``compile()`` of the same text is
the baseline. Compile times are CPU time of the compiling thread (``time.thread_time``), so
that other work on a shared machine inflates them less than wall time. The size of the generated code is its number of AST nodes and of characters once
unparsed.

The run-time fixed cost is an empty program and a program making one external call that
returns at once, run through ``run_source`` against ``exec(compile(...))``, median of many runs.

With ``--replay N``, the named slack programs of the replay (or those given with ``--name``)
also run N times in both modes
with every recorded latency scaled to 0: the difference is the fixed cost a program pays under
opportune in the replay (compiling it, starting the run, handing calls to threads).

With ``--against REV``, the same measurements run first with ``src/`` taken from REV (in a
subprocess, ``src`` of REV first on ``PYTHONPATH``), and the tables show both side by side.
``--profile`` adds the functions where compiling the replay's programs spends its time.

Results go to ``benchmarks/results/compile-cost-<date>-vm[-TAG].json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
QUASAR_DATA = ROOT.parent / "shared" / "benchmarks" / "quasar_agentdojo"  # as benchmarks.quasar
CORE_PROGRAMS = ROOT / "tests" / "core" / "programs"
# One-call slack programs that cannot overlap anything, and the long one (see docs/quasar.md).
NAMED = ("slack_user_task_2", "slack_user_task_8", "slack_user_task_13", "slack_user_task_17",
         "slack_user_task_19", "slack_user_task_18")
STAGES = ("parse", "rewrite", "callsites", "changes", "locations", "compile")


def _passes(filename: str) -> list[tuple[str, Callable[[ast.Module], Any]]]:
    from opportune.compiler import transform

    if hasattr(transform, "passes"):
        return list(transform.passes(filename=filename))
    # a tree from before transform.passes existed: the same three steps transform() ran
    from opportune.compiler import callsites

    def rewrite(tree: ast.Module) -> ast.Module:
        return transform._Rewriter(False, filename).visit(tree)

    return [("rewrite", rewrite), ("callsites", callsites.inline),
            ("locations", ast.fix_missing_locations)]


def _programs(data: Path) -> dict[str, list[tuple[str, str, str]]]:
    """(name, filename, text) per corpus, the text as run_source receives it."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.quasar._program import with_result_capture

    quasar = []
    for path in sorted((data / "programs").glob("*/*.py")):
        quasar.append((path.stem, str(path),
                       with_result_capture(path.read_text(encoding="utf-8"), str(path))))
    core = []
    for path in sorted(CORE_PROGRAMS.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        try:
            ast.parse(text)
        except SyntaxError:
            continue  # the corpus's syntax-error program compiles nothing
        core.append((path.stem, str(path), text))
    return {"quasar": quasar, "core": core}


def _compile_once(text: str, filename: str) -> tuple[dict[str, float], ast.Module]:
    times: dict[str, float] = {}
    t = time.thread_time()
    tree = ast.parse(text, filename=filename)
    times["parse"] = time.thread_time() - t
    for name, apply in _passes(filename):
        t = time.thread_time()
        result = apply(tree)
        tree = result if isinstance(result, ast.Module) else tree
        times[name] = time.thread_time() - t
    t = time.thread_time()
    compile(tree, filename, "exec", dont_inherit=True)
    times["compile"] = time.thread_time() - t
    return times, tree


def _plain_compile(text: str, filename: str) -> float:
    t = time.thread_time()
    compile(text, filename, "exec", dont_inherit=True)
    return time.thread_time() - t


def measure_compile(programs: list[tuple[str, str, str]], repeat: int) -> list[dict[str, Any]]:
    rows = []
    for name, filename, text in programs:
        best: dict[str, float] = {}
        tree: ast.Module | None = None
        plain = min(_plain_compile(text, filename) for _ in range(repeat))
        for _ in range(repeat):
            times, tree = _compile_once(text, filename)
            for stage, value in times.items():
                best[stage] = min(best.get(stage, value), value)
        assert tree is not None
        rows.append({
            "name": name, "source_chars": len(text),
            "source_nodes": sum(1 for _ in ast.walk(ast.parse(text))),
            "generated_nodes": sum(1 for _ in ast.walk(tree)),
            "generated_chars": len(ast.unparse(tree)),
            "plain_compile_s": plain, "stages_s": best, "total_s": sum(best.values()),
        })
    return rows


def _median_time(run: Callable[[], Any], n: int) -> float:
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        run()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def measure_runtime(n: int) -> dict[str, float]:
    """Median seconds per run: plain ``exec`` against ``run_source`` (compile included)."""
    import opportune

    @opportune.external(name="echo")
    def echo(x: int) -> int:
        return x

    empty, one_call = "pass\n", "x = echo(1)\ny = x + 1\n"

    def plain(text: str) -> Callable[[], Any]:
        def run() -> None:
            exec(compile(text, "<program>", "exec"), {"echo": echo.__wrapped__})  # noqa: S102
        return run

    def under(text: str) -> Callable[[], Any]:
        def run() -> None:
            opportune.run_source(text, {"echo": echo})
        return run

    for warm in (plain(one_call), under(one_call)):
        warm()
    return {
        "empty_plain_s": _median_time(plain(empty), n),
        "empty_opportune_s": _median_time(under(empty), n),
        "one_call_plain_s": _median_time(plain(one_call), n),
        "one_call_opportune_s": _median_time(under(one_call), n),
    }


def measure_replay(names: tuple[str, ...], reps: int) -> dict[str, dict[str, float]]:
    """Per Quasar task: the program in both modes with every recorded latency scaled to 0, so
    what is left is the program's own work plus, under opportune, compiling and starting it.
    Best and median over ``reps`` runs of each mode, in milliseconds."""
    import gc

    from benchmarks.quasar._harness import load_suite, run_task
    from benchmarks.quasar._runner import select

    tasks = select(names=names)
    for task in tasks:
        load_suite(task.suite)
    gc.collect()
    gc.freeze()
    out = {}
    for task in tasks:
        seq, opp = [], []
        for _ in range(reps):
            gc.collect()
            seq.append(run_task(task, "sequential", latency_scale=0.0).time_s or 0.0)
            gc.collect()
            opp.append(run_task(task, "opportune", latency_scale=0.0).time_s or 0.0)
        out[task.name] = {
            "sequential_min_ms": min(seq) * 1000, "opportune_min_ms": min(opp) * 1000,
            "extra_min_ms": (min(opp) - min(seq)) * 1000,
            "extra_median_ms": (statistics.median(opp) - statistics.median(seq)) * 1000,
        }
    return out


def profile_quasar(programs: list[tuple[str, str, str]], top: int = 25) -> str:
    from opportune.compiler.modules import compile_module_source

    profile = cProfile.Profile()
    profile.enable()
    for _, filename, text in programs:
        compile_module_source(text, filename)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(top)
    # paths relative to the checkout, so that the results file says nothing about this machine
    root = str(Path(__file__).resolve().parent.parent) + os.sep
    return out.getvalue().replace(root, "")


def measure(data: Path, repeat: int, runs: int, profile: bool,
            replay: int = 0, names: tuple[str, ...] = NAMED) -> dict[str, Any]:
    corpora = _programs(data)
    result: dict[str, Any] = {
        "corpora": {name: measure_compile(progs, repeat) for name, progs in corpora.items()},
        "runtime": measure_runtime(runs),
    }
    if replay:
        result["replay"] = measure_replay(names, replay)
    if profile:
        result["profile"] = profile_quasar(corpora["quasar"])
    return result


def _measure_rev(rev: str, args: argparse.Namespace) -> dict[str, Any]:
    """The same measurements with ``src/`` from ``rev``, in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        out = Path(folder) / "out.json"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(folder) / "src"), str(ROOT)])}
        subprocess.run([sys.executable, "-m", "benchmarks.compile_cost", "--raw", str(out),
                        "--repeat", str(args.repeat), "--runs", str(args.runs),
                        "--replay", str(args.replay), "--data", str(args.data),
                        *(a for name in args.names for a in ("--name", name))],
                       cwd=ROOT, env=env, check=True)
        loaded: dict[str, Any] = json.loads(out.read_text())
        return loaded


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _totals(rows: list[dict[str, Any]]) -> dict[str, float]:
    out = {stage: sum(r["stages_s"].get(stage, 0.0) for r in rows) for stage in STAGES}
    out["total"] = sum(r["total_s"] for r in rows)
    out["plain"] = sum(r["plain_compile_s"] for r in rows)
    out["source_chars"] = sum(r["source_chars"] for r in rows)
    out["generated_chars"] = sum(r["generated_chars"] for r in rows)
    out["source_nodes"] = sum(r["source_nodes"] for r in rows)
    out["generated_nodes"] = sum(r["generated_nodes"] for r in rows)
    return out


def report(sides: dict[str, dict[str, Any]], names: tuple[str, ...] = NAMED) -> str:
    lines = ["## Compile cost per corpus (ms, best of the rounds, summed over programs)", "",
             "| corpus | side | programs | plain compile | " + " | ".join(STAGES)
             + " | total | generated / source nodes | generated chars |",
             "|---|---|---|---|" + "---|" * len(STAGES) + "---|---|---|"]
    for corpus in ("quasar", "core"):
        for side, data in sides.items():
            rows = data["corpora"][corpus]
            t = _totals(rows)
            lines.append(
                f"| {corpus} | {side} | {len(rows)} | {_ms(t['plain'])} | "
                + " | ".join(_ms(t[s]) for s in STAGES)
                + f" | {_ms(t['total'])} | {t['generated_nodes'] / t['source_nodes']:.1f}x"
                f" | {int(t['generated_chars'])} |")
    lines += ["", "## Named programs (ms)", "",
              "| program | source chars | " + " | ".join(f"{s} total" for s in sides)
              + " | " + " | ".join(f"{s} generated chars" for s in sides) + " |",
              "|---|---|" + "---|" * (2 * len(sides))]
    by_side = {s: {r["name"]: r for r in d["corpora"]["quasar"]} for s, d in sides.items()}
    for name in dict.fromkeys(NAMED + names):
        first = next(iter(by_side.values())).get(name)
        if first is None:
            continue
        lines.append(f"| {name} | {first['source_chars']} | "
                     + " | ".join(_ms(by_side[s][name]["total_s"]) for s in sides) + " | "
                     + " | ".join(str(by_side[s][name]["generated_chars"]) for s in sides)
                     + " |")
    lines += ["", "## Slowest programs to compile (ms)", ""]
    last = list(sides)[-1]
    slow = sorted(sides[last]["corpora"]["quasar"], key=lambda r: -r["total_s"])[:10]
    lines += ["| program | " + " | ".join(sides) + " |", "|---|" + "---|" * len(sides)]
    for row in slow:
        lines.append(f"| {row['name']} | "
                     + " | ".join(_ms(by_side[s][row['name']]['total_s']) for s in sides) + " |")
    lines += ["", "## Run-time fixed cost (ms, median per run, compile included)", "",
              "| program | plain exec | " + " | ".join(f"opportune ({s})" for s in sides) + " |",
              "|---|---|" + "---|" * len(sides)]
    for kind, label in (("empty", "empty (`pass`)"), ("one_call", "one external call")):
        plain = sides[last]["runtime"][f"{kind}_plain_s"]
        lines.append(f"| {label} | {_ms(plain)} | "
                     + " | ".join(_ms(d["runtime"][f"{kind}_opportune_s"])
                                  for d in sides.values()) + " |")
    if all("replay" in d for d in sides.values()):
        lines += ["", ("## Fixed cost in the Quasar replay (ms, latencies scaled to 0: opportune "
                       "minus sequential, best / median of the runs)"), "",
                  "| program | sequential | " + " | ".join(f"extra ({s})" for s in sides) + " |",
                  "|---|---|" + "---|" * len(sides)]
        for name in names:
            if name not in sides[last]["replay"]:
                continue
            seq = sides[last]["replay"][name]["sequential_min_ms"]
            lines.append(f"| {name} | {seq:.1f} | " + " | ".join(
                f"{d['replay'][name]['extra_min_ms']:.1f} / {d['replay'][name]['extra_median_ms']:.1f}"
                for d in sides.values()) + " |")
    for side, data in sides.items():
        if "profile" in data:
            lines += ["", f"## Profile of compiling the replay's programs ({side})", "", "```",
                      data["profile"].strip(), "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds per program (best kept)")
    parser.add_argument("--runs", type=int, default=200, help="runs per run-time measurement")
    parser.add_argument("--data", type=Path, default=QUASAR_DATA)
    parser.add_argument("--against", help="also measure src/ of this git revision")
    parser.add_argument("--profile", action="store_true", help="cProfile the replay's programs")
    parser.add_argument("--tag", help="name part for the result files")
    parser.add_argument("--replay", type=int, default=0, metavar="N",
                        help="also run the named slack programs N times in both modes with "
                        "latencies scaled to 0 (needs the bench extra: agentdojo)")
    parser.add_argument("--name", dest="names", action="append", metavar="TASK",
                        help="with --replay: run this task (e.g. workspace_user_task_28; "
                        "repeatable) instead of the named slack programs")
    parser.add_argument("--raw", type=Path, help=argparse.SUPPRESS)  # subprocess of --against
    args = parser.parse_args(argv)
    args.names = tuple(args.names or NAMED)
    if not (args.data / "programs").is_dir():
        raise SystemExit(f"no programs under {args.data}/programs; pass --data with the folder "
                         "of the Quasar AgentDojo replay data")
    if args.raw is not None:
        args.raw.write_text(json.dumps(measure(args.data, args.repeat, args.runs, False,
                                               args.replay, args.names)))
        return
    sides: dict[str, dict[str, Any]] = {}
    if args.against:
        sides[args.against] = _measure_rev(args.against, args)
    sides["now"] = measure(args.data, args.repeat, args.runs, args.profile, args.replay,
                           args.names)
    text = report(sides, args.names)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"compile-cost-{date.today().isoformat()}-vm" + (f"-{args.tag}" if args.tag else "")
    meta = {"python": platform.python_version(), "repeat": args.repeat, "runs": args.runs,
            "against": args.against}
    (RESULTS / f"{stem}.json").write_text(json.dumps({"settings": meta, "sides": sides},
                                                     indent=1))
    (RESULTS / f"{stem}.md").write_text(f"# Compile cost\n\nSettings: {meta}\n\n{text}")
    print(text)
    print(f"results: {RESULTS / stem}.json (and .md)")


if __name__ == "__main__":
    main()
