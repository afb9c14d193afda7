"""The ``opportune`` command: one Typer app, each command group in a module of its own.

Command groups are imported only when they are used (see :mod:`opportune.cli._lazy`), so
``opportune run FILE`` loads the runtime and nothing of the servers, the simulator, the embedded
model or the lifter. To add a group, create ``opportune/cli/<area>.py`` exposing
``register(app: typer.Typer) -> None`` and add one line to ``_Commands.lazy_commands`` below:
its command name, its module and the line ``opportune --help`` shows for it (a test checks that
this line matches the command's own help). Registering eagerly in ``_register()`` still works,
but makes every start of ``opportune`` pay for that group's imports.
"""

from __future__ import annotations

from typing import ClassVar

import typer

from opportune.cli._lazy import LazyCommand, LazyGroup


class _Commands(LazyGroup):
    lazy_commands: ClassVar[dict[str, LazyCommand]] = {
        "run": LazyCommand(
            "opportune.cli.run",
            "Run FILE with its external calls overlapped; output and effects stay as in plain "
            "Python.",
        ),
        "lift": LazyCommand(
            "opportune.cli.lift",
            "Lift a Python loop kernel into array code; print the code and how it was verified.",
        ),
        "sim": LazyCommand(
            "opportune.cli.sim",
            "A latency-modelled OpenAI-compatible server for tests and benchmarks.",
        ),
        "model": LazyCommand(
            "opportune.cli.model", "The embedded local model (SmolLM2-135M-Instruct via llama.cpp)."
        ),
        "serve": LazyCommand(
            "opportune.cli.serve", "Program-aware LLM serving: a scheduling gateway and its simulator."
        ),
    }


app = typer.Typer(
    name="opportune",
    help="Run compound AI programs with their external calls overlapped.",
    no_args_is_help=True,
    add_completion=False,
    cls=_Commands,
)


@app.callback()
def _root() -> None:
    # A callback makes Typer build a group even though no command is registered eagerly.
    pass


def _register() -> None:
    """Register command groups that must be loaded on every start (none today)."""


def main() -> None:
    _register()
    app()


if __name__ == "__main__":
    main()
