"""``opportune lift FILE::FUNCTION [--backend B]``: print a function's lifted code and its proof status."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape


def _load(target: str) -> object:
    if "::" not in target:
        raise typer.BadParameter(f"{target!r}: expected FILE::FUNCTION, e.g. kernels.py::dot")
    file, name = target.rsplit("::", 1)
    path = Path(file)
    if not path.is_file():
        raise typer.BadParameter(f"{file!r} is not a file")
    spec = importlib.util.spec_from_file_location(f"_opportune_lift_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses and pickling look the module up by name
    sys.path.insert(0, str(path.resolve().parent))
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.path.pop(0)
    fn = getattr(mod, name, None)
    if not callable(fn):
        raise typer.BadParameter(f"{file} has no function {name!r}")
    return fn


def lift_command(
    target: Annotated[str, typer.Argument(help="FILE::FUNCTION, the loop kernel to lift.")],
    backend: Annotated[str, typer.Option("--backend", "-b", help="numpy, torch or jax.")] = "numpy",
) -> None:
    """Lift a Python loop kernel into array code; print the code and how it was verified."""
    from opportune.lift import LiftError, lift

    fn = _load(target)
    err = Console(stderr=True)
    try:
        fast = lift(fn, backend=backend)  # type: ignore[arg-type]
    except LiftError as e:
        err.print(f"[red]not lifted:[/red] {escape(e.reason)}", soft_wrap=True)
        raise typer.Exit(1) from e
    out = Console()
    typer.echo(fast.source)  # plain text: the code stays copy-pasteable at any terminal width
    d = fast.detail
    out.print(f"verified: {fast.verified}")
    out.print(f"  proof: {d.get('proof', 'not attempted')} ({d.get('vcs', 0)} obligations)")
    out.print(
        f"  random tests: {d['random_runs']} agreeing runs; synthesis {d['synthesis_s']:.3f}s, "
        f"proof {d['verify_s']:.3f}s"
    )


def register(app: typer.Typer) -> None:
    app.command("lift")(lift_command)
