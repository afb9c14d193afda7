"""The ``opportune`` command: one Typer app, each command group in a module of its own."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="opportune",
    help="Run compound AI programs with their external calls overlapped.",
    no_args_is_help=True,
    add_completion=False,
)


def _register() -> None:
    from opportune.cli import run as run_cmd

    run_cmd.register(app)
    from opportune.cli import sim as sim_cmd
    sim_cmd.register(app)
    from opportune.cli import model as model_cmd
    model_cmd.register(app)
    from opportune.cli import serve as serve_cmd
    serve_cmd.register(app)
    from opportune.cli import lift as lift_cmd
    lift_cmd.register(app)


def main() -> None:
    _register()
    app()


if __name__ == "__main__":
    main()
