"""Every command group is listed and reachable, whether or not its module was imported yet."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from opportune.cli._lazy import LazyCommand, LazyGroup
from opportune.cli.app import _Commands, app

GROUPS = list(_Commands.lazy_commands)

# A word each group's own help prints, so a group answering with another group's help fails.
OWN_HELP = {
    "run": "The Python script to run.",
    "lift": "FILE::FUNCTION",
    "sim": "serve",
    "model": "serve",
    "serve": "gateway",
}


def _opportune(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opportune", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "120"},
    )


def test_table_names_every_group() -> None:
    assert GROUPS == ["run", "lift", "sim", "model", "serve"]
    assert set(OWN_HELP) == set(GROUPS)


@pytest.mark.parametrize(("args", "status"), [(["--help"], 0), ([], 2)])
def test_top_level_help_lists_every_group(args: list[str], status: int) -> None:
    done = _opportune(*args)  # with no arguments click shows the help as a usage error
    assert done.returncode == status, done.stderr
    for name in GROUPS:
        assert f" {name} " in done.stdout, f"{name} missing from:\n{done.stdout}"


@pytest.mark.parametrize("name", GROUPS)
def test_group_help_works(name: str) -> None:
    done = _opportune(name, "--help")
    assert done.returncode == 0, done.stderr
    assert f"Usage: python -m opportune {name}" in done.stdout
    assert OWN_HELP[name] in done.stdout


def test_listed_help_is_the_commands_own_help(monkeypatch: pytest.MonkeyPatch) -> None:
    """The line ``opportune --help`` shows without importing a group is the group's real one."""
    runner = CliRunner()
    listed = runner.invoke(app, ["--help"], terminal_width=200)
    group = get_command(app)
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):  # type: ignore[attr-defined]
        real = group.get_command(ctx, name)  # type: ignore[attr-defined]
        assert real is not None and group.commands[name] is real, name  # type: ignore[attr-defined]
        assert (real.short_help or real.help or "").strip() == _Commands.lazy_commands[name].help
    # The same help with every group imported to render it.
    monkeypatch.setattr(_Commands, "format_help", TyperGroup.format_help)
    resolved = runner.invoke(app, ["--help"], terminal_width=200)
    assert listed.exit_code == resolved.exit_code == 0
    assert listed.output == resolved.output


@pytest.mark.parametrize(("typo", "suggestion"), [("runn", "'run'"), ("serv", "'serve'")])
def test_unknown_command_suggests_a_listed_one(typo: str, suggestion: str) -> None:
    done = _opportune(typo)
    assert done.returncode == 2
    assert f"No such command '{typo}'. Did you mean {suggestion}?" in done.stderr


def _broken_app(entry: LazyCommand, name: str) -> typer.Typer:
    class Broken(LazyGroup):
        lazy_commands = {name: entry}  # noqa: RUF012

    broken = typer.Typer(cls=Broken)
    broken.callback()(lambda: None)
    return broken


@pytest.mark.parametrize(
    ("name", "entry", "error", "message"),
    [
        ("x", LazyCommand("opportune.cli._lazy", "x"), TypeError, "has no register"),
        ("lifty", LazyCommand("opportune.cli.lift", "x"), RuntimeError, "no command named 'lifty'"),
        ("x", LazyCommand("opportune.cli._missing", "x"), ModuleNotFoundError, "_missing"),
    ],
)
def test_a_wrong_table_entry_says_what_to_fix(
    name: str, entry: LazyCommand, error: type[Exception], message: str
) -> None:
    result = CliRunner().invoke(_broken_app(entry, name), [name, "--help"])
    assert isinstance(result.exception, error)
    assert message in str(result.exception)


CHAINED = '''
import opportune


@opportune.external
def lookup(key):
    raise KeyError(key)


class ToolError(Exception):
    pass


try:
    lookup("city")
except KeyError as e:
    try:
        raise ToolError("lookup failed") from e
    except ToolError as t:
        t.add_note("while planning step 2")
        raise ExceptionGroup("step failed", [t, ValueError("bad plan")])
'''


def _report_lines(stderr: str) -> list[str]:
    """The traceback's structure: every line that is neither a frame nor source text."""
    keep = []
    for line in stderr.splitlines():
        body = line.lstrip(" |+-")
        if body.startswith("File ") or line.startswith("    ") and "|" not in line:
            continue
        if "File " in line or body.startswith(("^", "~")) or not body:
            continue
        keep.append(line.strip(" |"))
    return [line for line in keep if not line.startswith(("raise ", "lookup(", "try:"))]


def test_uncaught_report_keeps_causes_notes_and_groups(tmp_path) -> None:
    script = tmp_path / "chained.py"
    script.write_text(CHAINED)
    plain = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    ours = _opportune("run", str(script))
    assert plain.returncode == ours.returncode == 1
    assert "The above exception was the direct cause" in ours.stderr
    assert "while planning step 2" in ours.stderr
    assert _report_lines(ours.stderr) == _report_lines(plain.stderr)


UNUSED_FAILURE = '''
import time

import opportune


@opportune.external
def fetch(key):
    time.sleep(0.01)
    raise KeyError(key)


def main():
    fetch("first")  # its value is never used: the failure surfaces as the run ends


main()
'''


def test_uncaught_report_of_a_call_whose_value_is_unused_shows_the_call(tmp_path) -> None:
    """The failure of a call nothing used is raised as the run ends, where the program has no
    frame: the report still lists the frames the call was made from, as plain Python's."""
    script = tmp_path / "unused.py"
    script.write_text(UNUSED_FAILURE)
    plain = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    ours = _opportune("run", str(script))
    assert plain.returncode == ours.returncode == 1
    assert "in main" in plain.stderr
    assert ours.stderr == plain.stderr
