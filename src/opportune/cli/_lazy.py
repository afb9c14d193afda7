"""A Typer command group whose subcommands are imported only when they are used.

``opportune run prog.py`` should start the program about as soon as ``python prog.py`` would,
but the command groups beside it pull in aiohttp, pydantic, numpy, z3 and llama.cpp. Click's
documented answer is a ``Group`` that overrides ``list_commands`` and ``get_command`` so that a
subcommand's module is imported the first time that subcommand is resolved; this is that group
for Typer. Each lazy entry names the module (which exposes ``register(app: typer.Typer)``, the
same hook an eagerly registered group has) and the one-line help shown in ``opportune --help``,
so listing the commands imports none of them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from difflib import get_close_matches
from typing import ClassVar

import typer
from typer._click.exceptions import UsageError  # Typer carries its own copy of click
from typer.core import TyperCommand, TyperGroup
from typer.main import get_group


@dataclass(frozen=True)
class LazyCommand:
    """Where a subcommand lives, and what ``--help`` says about it before it is imported."""

    module: str
    help: str


class LazyGroup(TyperGroup):
    """A ``TyperGroup`` that resolves the entries of ``lazy_commands`` on first use.

    Subclass it and set ``lazy_commands``; commands registered the ordinary way still work and
    are listed first. A resolved command is cached in ``self.commands``, so it is built once.
    """

    lazy_commands: ClassVar[dict[str, LazyCommand]] = {}

    _listing = False  # True while the group's own help is being rendered

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        eager = super().list_commands(ctx)
        return eager + [name for name in self.lazy_commands if name not in eager]

    def get_command(self, ctx: typer.Context, cmd_name: str):  # type: ignore[no-untyped-def,override]
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        entry = self.lazy_commands.get(cmd_name)
        if entry is None:
            return None
        if self._listing:
            # The group's help only needs a name and a line; importing the module for it
            # would make ``opportune --help`` as slow as importing every group.
            return TyperCommand(name=cmd_name, help=entry.help)
        command = self._load(cmd_name, entry)
        self.commands[cmd_name] = command
        return command

    def resolve_command(self, ctx: typer.Context, args: list[str]):  # type: ignore[no-untyped-def,override]
        # TyperGroup suggests close names from the commands already built only; suggest from
        # every listed name instead, so ``opportune runn`` still asks "Did you mean 'run'?".
        suggest, self.suggest_commands = self.suggest_commands, False
        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if suggest and matches:
                listed = ", ".join(repr(m) for m in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {listed}?"
            raise
        finally:
            self.suggest_commands = suggest

    def format_help(self, ctx: typer.Context, formatter) -> None:  # type: ignore[no-untyped-def,override]
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def _load(self, name: str, entry: LazyCommand):  # type: ignore[no-untyped-def]
        module = importlib.import_module(entry.module)
        register = getattr(module, "register", None)
        if not callable(register):
            raise TypeError(
                f"{entry.module} has no register(app) function; a lazy command module must "
                "expose register(app: typer.Typer) -> None, as every opportune.cli module does"
            )
        scratch = typer.Typer(rich_markup_mode=self.rich_markup_mode)
        register(scratch)
        command = get_group(scratch).commands.get(name)
        if command is None:
            raise RuntimeError(
                f"{entry.module}.register() added no command named {name!r}; make the name in "
                "the lazy command table of opportune.cli.app match the one the module registers"
            )
        return command
