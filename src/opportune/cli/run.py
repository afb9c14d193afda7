"""``opportune run FILE [ARGS...]``: run a script as ``python FILE ARGS`` would, overlapped.

:func:`run_script` does the work and imports no command-line library, so that
``opportune run FILE ARGS`` can start the program without loading Typer at all
(:func:`opportune.cli.app.main` takes that path when no option comes before FILE); the Typer
command registered by :func:`register` calls the same function.
"""

import os
import sys
from typing import Any


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and every exception in its chain: causes, contexts, members of groups."""
    seen: dict[int, BaseException] = {}
    pending: list[BaseException] = [exc]
    while pending:
        part = pending.pop()
        if id(part) in seen:
            continue
        seen[id(part)] = part
        pending.extend(p for p in (part.__cause__, part.__context__) if p is not None)
        if isinstance(part, BaseExceptionGroup):
            pending.extend(part.exceptions)
    return list(seen.values())


def _print_exception(exc: BaseException) -> None:
    """Report an uncaught exception as Python does, without opportune's own frames.

    Python hands an uncaught exception to ``sys.excepthook``. Its default hook prints what
    ``traceback.print_exception`` prints, which
    :func:`opportune.runtime.tracebacks.print_uncaught` does, reading the traceback as a
    program's own formatting does under opportune (the program's frames, a failed call's call
    site). A hook of the program's own (p341) gets the exception itself, after opportune's
    frames are taken out of every traceback in its chain (causes, contexts, exception groups:
    p340); so does the default hook for a chain with an exception group, which Python 3.11's
    own printer lays out otherwise than the traceback module (it prints a member's cause at
    the member's context, where it met it first).
    """
    sys.stderr.flush()
    chain = _chain(exc)
    if sys.excepthook is sys.__excepthook__ and not any(
            isinstance(part, BaseExceptionGroup) for part in chain):
        from opportune.runtime.tracebacks import print_uncaught

        print_uncaught(exc)
        return
    from opportune.runtime.tracebacks import program_traceback

    for part in chain:
        part.__traceback__ = program_traceback(part.__traceback__)
    if exc.__traceback__ is None and sys.excepthook is sys.__excepthook__:
        # Raised where the program has no frame of its own (an arm run concurrently, say):
        # Python would have shown the program's frame, so the report still reads as one.
        sys.stderr.write("Traceback (most recent call last):\n")
    sys.excepthook(type(exc), exc, exc.__traceback__)


def run_script(
    file: str,
    args: list[str],
    *,
    trace: "str | os.PathLike[str] | None" = None,
    explain: bool = False,
    summary: bool = False,
) -> int:
    """Run ``file`` with ``args`` under opportune; return the exit status ``python`` would."""
    # The program starts with Python's own excepthook, as under ``python FILE``: the command
    # line library (Typer, when an option comes before FILE) installs one of its own, which
    # the program would see, and which the report below would take for the program's (it
    # printed a failed derived value's traceback without the program's frame).
    launcher_hook, sys.excepthook = sys.excepthook, sys.__excepthook__
    try:
        return _run_script(file, args, trace=trace, explain=explain, summary=summary)
    finally:
        if sys.excepthook is sys.__excepthook__:
            sys.excepthook = launcher_hook


def _run_script(
    file: str,
    args: list[str],
    *,
    trace: "str | os.PathLike[str] | None",
    explain: bool,
    summary: bool,
) -> int:
    from opportune.api import last_schedule, run_path

    status = 0
    interrupted = False
    try:
        run_path(file, list(args), explain=explain)
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
        if file in str(exc):
            sys.stderr.write(f"opportune run: can't open file {file!r}: no such file\n")
            sys.stderr.flush()
            return 2
        _print_exception(exc)
        status = 1
    except SyntaxError as exc:
        import traceback

        sys.stderr.write("".join(traceback.format_exception_only(type(exc), exc)))
        status = 1
    except BaseException as exc:  # noqa: BLE001 - reported exactly as Python would
        _print_exception(exc)
        status = 1
        # Python reports an uncaught KeyboardInterrupt (its exact type, not a subclass) with
        # its traceback and then ends by SIGINT, so the parent sees the signal (p421).
        interrupted = type(exc) is KeyboardInterrupt
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
    if interrupted:
        _end_by_sigint()
    return status


def _end_by_sigint() -> None:
    """End the process by SIGINT, as CPython does after an uncaught KeyboardInterrupt."""
    import signal

    sys.stdout.flush()
    sys.stderr.flush()
    if hasattr(signal, "SIGINT") and hasattr(os, "kill"):
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)


def register(app: Any) -> None:
    from pathlib import Path
    from typing import Annotated

    import typer

    def run_command(
        file: Annotated[Path, typer.Argument(help="The Python script to run.")],
        args: Annotated[
            list[str] | None, typer.Argument(help="Arguments passed to the script.")
        ] = None,
        trace: Annotated[
            Path | None,
            typer.Option("--trace", help="Write the schedule as a Chrome trace (Perfetto)."),
        ] = None,
        explain: Annotated[
            bool,
            typer.Option("--explain", help="Report every place the program had to wait, and why."),
        ] = False,
        summary: Annotated[
            bool,
            typer.Option("--summary", help="Print a one-line schedule summary to stderr at the end."),
        ] = False,
    ) -> None:
        """Run FILE with its external calls overlapped; output and effects stay as in plain Python."""
        raise typer.Exit(
            run_script(str(file), list(args or []), trace=trace, explain=explain, summary=summary)
        )

    app.command(
        "run",
        context_settings={
            "allow_extra_args": True,
            "ignore_unknown_options": True,
            "allow_interspersed_args": False,
        },
    )(run_command)
