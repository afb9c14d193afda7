"""The ``opportune`` command: one Typer app, each command group in a module of its own.

Command groups are imported only when they are used (see :mod:`opportune.cli._lazy`), so
``opportune run FILE`` loads the runtime and nothing of the servers, the simulator, the embedded
model or the lifter (nor Typer itself, when no option comes before FILE). To add a group, create
``opportune/cli/<area>.py`` exposing ``register(app: typer.Typer) -> None`` and add one line to
``_GROUPS`` below: its command name, its module and the line ``opportune --help`` shows for it
(a test checks that this line matches the command's own help). Registering eagerly in
``_register()`` still works, but makes every start of ``opportune`` pay for that group's imports.
"""

from __future__ import annotations

import sys
from typing import Any

# The command groups: name -> (module, the line ``opportune --help`` shows for it).
_GROUPS: dict[str, tuple[str, str]] = {
    "run": (
        "opportune.cli.run",
        ("Run FILE with its external calls overlapped; output and effects stay as in plain "
         "Python."),
    ),
    "lift": (
        "opportune.cli.lift",
        "Lift a Python loop kernel into array code; print the code and how it was verified.",
    ),
    "sim": (
        "opportune.cli.sim",
        "A latency-modelled OpenAI-compatible server for tests and benchmarks.",
    ),
    "model": (
        "opportune.cli.model", "The embedded local model (SmolLM2-135M-Instruct via llama.cpp)."
    ),
    "serve": (
        "opportune.cli.serve", "Program-aware LLM serving: a scheduling gateway and its simulator."
    ),
}


def _build() -> None:
    """Define ``_Commands`` and ``app`` (Typer and pydantic take a sixth of a second to import,
    so this happens on first use, and ``opportune run FILE`` never needs it)."""
    from typing import ClassVar

    import typer

    from opportune.cli._lazy import LazyCommand, LazyGroup

    class _Commands(LazyGroup):
        lazy_commands: ClassVar[dict[str, LazyCommand]] = {
            name: LazyCommand(module, help) for name, (module, help) in _GROUPS.items()
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

    globals().update(_Commands=_Commands, app=app)


def __getattr__(name: str) -> Any:
    if name in ("app", "_Commands"):
        _build()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _register() -> None:
    """Register command groups that must be loaded on every start (none today)."""


def main() -> None:
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "run" and not args[1].startswith("-"):
        # ``opportune run FILE ARGS...`` with no option before FILE: everything after FILE
        # belongs to the script, so there is nothing for Typer to parse (cli/run.py).
        from opportune.cli.run import run_script

        sys.exit(run_script(args[1], args[2:]))
    _register()
    __getattr__("app")()


if __name__ == "__main__":
    main()
