"""The command line: pick tasks, run both modes, write the results file, print the tables."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from benchmarks.quasar._data import REPO_ROOT, DataNotFound
from benchmarks.quasar._report import (
    TaskRow,
    source_state,
    summary_table,
    task_table,
    write_results,
)
from benchmarks.quasar._runner import opportune_available, run_tasks, select

app = typer.Typer(add_completion=False, help=__doc__)
err = Console(stderr=True)


@app.command()
def bench(
    quick: Annotated[bool, typer.Option(help="Run two programs per suite (about a minute).")] = False,
    suite: Annotated[
        list[str] | None, typer.Option(help="Only this suite (repeatable): banking, slack, travel, workspace.")
    ] = None,
    task: Annotated[
        list[str] | None, typer.Option(help="Only this task, e.g. travel_user_task_12 (repeatable).")
    ] = None,
    data: Annotated[
        Path | None, typer.Option(help="Data folder (default: ../shared/benchmarks/quasar_agentdojo from the repository root).")
    ] = None,
    latency_scale: Annotated[
        float, typer.Option(min=0.0, help="Multiply every recorded latency; headline numbers use 1.0.")
    ] = 1.0,
    explain: Annotated[
        bool, typer.Option(help="Record where opportune waited and why (slower; for diagnosis).")
    ] = False,
    sequential_only: Annotated[bool, typer.Option(help="Skip the opportune mode.")] = False,
    speculative_llm: Annotated[
        bool, typer.Option(help="Declare query_ai_assistant speculative=True in the opportune mode: a "
                           "question built from a read that ran ahead of an undecided write may be asked "
                           "before the read is confirmed (a separate mode; results are labelled and named -speculative).")
    ] = False,
    results_dir: Annotated[
        Path | None, typer.Option(help="Where to write the results JSON (default: benchmarks/results).")
    ] = None,
) -> None:
    """Replay the Quasar paper's AgentDojo programs sequentially and under opportune."""
    try:
        tasks = select(data=data, quick=quick, suites=suite or (), names=task or ())
    except (DataNotFound, ValueError) as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None

    unavailable = None if sequential_only else opportune_available()
    if unavailable:
        err.print(f"[yellow]warning:[/yellow] running the sequential mode only: {unavailable}")
    with_opportune = not sequential_only and unavailable is None

    def progress(row: TaskRow) -> None:
        o = row.opportune
        opp = "" if o is None else f", opportune {o.time_s:.2f} s" + (f" [red]{o.error}[/red]" if o.error else "")
        same = {True: "", False: " [red]result differs[/red]", None: ""}[row.results_equal]
        seq_err = f" [red]{row.sequential.error}[/red]" if row.sequential.error else ""
        err.print(f"{row.task.name}: sequential {row.sequential.time_s:.2f} s{seq_err}{opp}{same}")

    mode_label = "opportune with speculative LLM calls" if speculative_llm else "opportune"
    err.print(f"{len(tasks)} programs, latency scale {latency_scale}, mode: sequential and {mode_label}")
    source = source_state()
    rows = run_tasks(
        tasks, latency_scale=latency_scale, with_opportune=with_opportune, explain=explain,
        speculative_llm=speculative_llm, progress=progress,
    )
    settings = {
        "latency_scale": latency_scale,
        "quick": quick,
        "explain": explain,
        "source_at_start": source,
        "suites": suite or [],
        "tasks": task or [],
        "opportune": "skipped" if sequential_only else (unavailable or "run_source"),
        "speculative_llm": speculative_llm,
    }
    path = write_results(rows, settings=settings, directory=results_dir)
    markdown = (
        f"## Quasar x AgentDojo replay (latency scale {latency_scale})\n\n"
        + (
            "Mode: **opportune with speculative LLM calls** (`--speculative-llm`: "
            "`query_ai_assistant` declared `speculative=True`), not the default mode.\n\n"
            if speculative_llm else ""
        )
        + f"{summary_table(rows)}\n\n{task_table(rows)}\n"
    )
    path.with_suffix(".md").write_text(markdown, encoding="utf-8")
    print(markdown)
    print(f"results: {path} (and {path.with_suffix('.md').name})")


BENCH_VENV = REPO_ROOT / ".venv-bench"
BENCH_PYTHON = BENCH_VENV / "bin" / "python"


def _ensure_agentdojo() -> None:
    """Re-run in the bench virtualenv if this interpreter lacks agentdojo, or explain the fix."""
    if importlib.util.find_spec("agentdojo") is not None:
        return
    if BENCH_PYTHON.exists() and Path(sys.prefix).resolve() != BENCH_VENV.resolve():
        err.print(f"agentdojo is not installed here; re-running with {BENCH_PYTHON}")
        os.execv(str(BENCH_PYTHON), [str(BENCH_PYTHON), "-m", "benchmarks.quasar", *sys.argv[1:]])
    err.print(
        "[red]error:[/red] the replay needs agentdojo==0.1.34, which is not installed for "
        f"{sys.executable}; install it with pip install -e '.\\[bench]' (a separate virtualenv "
        "at .venv-bench/ is picked up automatically)"
    )
    raise SystemExit(2)


def main() -> None:
    if not {"--help", "-h"} & set(sys.argv[1:]):
        _ensure_agentdojo()
    app()
