"""``opportune run FILE [ARGS...]``: run a script as ``python FILE ARGS`` would, overlapped."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer


def _print_exception(exc: BaseException) -> None:
    """Print an uncaught exception as Python does, without opportune's own frames."""
    own = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    tb = exc.__traceback__
    frames = [f for f in traceback.extract_tb(tb) if not f.filename.startswith(own)]
    lines = ["Traceback (most recent call last):\n"]
    lines.extend(traceback.format_list(frames))
    lines.extend(traceback.format_exception_only(type(exc), exc))
    sys.stderr.write("".join(lines))


def run_command(
    file: Annotated[Path, typer.Argument(help="The Python script to run.")],
    args: Annotated[list[str] | None, typer.Argument(help="Arguments passed to the script.")] = None,
    trace: Annotated[
        Path | None, typer.Option("--trace", help="Write the schedule as a Chrome trace (Perfetto).")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Report every place the program had to wait, and why.")
    ] = False,
    summary: Annotated[
        bool, typer.Option("--summary", help="Print a one-line schedule summary to stderr at the end.")
    ] = False,
) -> None:
    """Run FILE with its external calls overlapped; output and effects stay as in plain Python."""
    from opportune.api import last_schedule, run_path

    status = 0
    try:
        run_path(str(file), list(args or []), explain=explain)
    except SystemExit as exit_:
        code = exit_.code
        if code is None:
            status = 0
        elif isinstance(code, int):
            status = code
        else:
            sys.stderr.write(f"{code}\n")
            status = 1
    except FileNotFoundError as exc:
        if str(file) in str(exc):
            typer.echo(f"opportune run: can't open file {str(file)!r}: no such file", err=True)
            raise typer.Exit(2) from None
        _print_exception(exc)
        status = 1
    except SyntaxError as exc:
        sys.stderr.write("".join(traceback.format_exception_only(type(exc), exc)))
        status = 1
    except KeyboardInterrupt:
        status = 130
    except BaseException as exc:  # noqa: BLE001 - reported exactly as Python would
        _print_exception(exc)
        status = 1
    sys.stdout.flush()
    try:
        schedule = last_schedule()
    except RuntimeError:
        schedule = None
    if schedule is not None:
        if trace is not None:
            schedule.write_chrome(trace)
        if explain:
            sys.stderr.write(schedule.explain() + "\n")
        if summary:
            sys.stderr.write(schedule.summary() + "\n")
    raise typer.Exit(status)


def register(app: typer.Typer) -> None:
    app.command(
        "run",
        context_settings={
            "allow_extra_args": True,
            "ignore_unknown_options": True,
            "allow_interspersed_args": False,
        },
    )(run_command)
