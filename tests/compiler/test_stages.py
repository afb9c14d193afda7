"""Module-level code compiled in stages (compiler/stages.py): which stage compiles when, and that
a staged program behaves as the whole program compiled at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

import opportune
from opportune.compiler import stages
from opportune.compiler.modules import compile_staged

LINES = 40
FILLER = "".join(f"v{i} = [{i}, {i} + 1]\n" for i in range(LINES))


@pytest.fixture(autouse=True)
def short_programs_staged(monkeypatch: pytest.MonkeyPatch) -> None:
    """The programs here are short: stage those of 30 lines or more."""
    monkeypatch.setenv(stages.ENV_LINES, "30")


@pytest.fixture
def compiled_stages() -> Iterator[list[tuple[int, str]]]:
    """The stages compiled while the test runs: (first line, "program" or "ahead")."""
    seen: list[tuple[int, str]] = []

    def listen(line: int, who: str) -> None:
        seen.append((line, who))

    stages.listeners.append(listen)
    try:
        yield seen
    finally:
        stages.listeners.remove(listen)


def _waits_for_stage(line: int, who: str | None, log: list[object]) -> object:
    """An external that records its start, returns once the stage at ``line`` has compiled
    (by ``who``, when given), and records its end."""
    compiled = threading.Event()

    def listen(at: int, by: str) -> None:
        if at == line and who in (None, by):
            log.append(("stage", at, by))
            compiled.set()

    stages.listeners.append(listen)

    @opportune.external(name="first_call")
    def first_call() -> int:
        log.append("call started")
        compiled.wait(10)
        log.append("call ended")
        return 1

    return first_call


def test_the_rest_compiles_while_the_first_call_is_in_flight() -> None:
    log: list[object] = []
    first_call = _waits_for_stage(2, None, log)
    source = "a = first_call()\n" + FILLER + "b = a + len(v0)\n"
    ns = opportune.run_source(source, {"first_call": first_call})
    # compiled by the program when it got there, or ahead if it had to wait before that
    assert [entry[:2] if isinstance(entry, tuple) else entry for entry in log] \
        == ["call started", ("stage", 2), "call ended"]
    assert ns["b"] == 3
    assert ns["v3"] == [3, 4]


def test_a_waiting_thread_compiles_the_next_stage_ahead() -> None:
    log: list[object] = []
    # stage 2 is cut after ``c = helper(a)``; it waits for the call in ``while a is None``
    # first, and compiles stage 5 meanwhile
    first_call = _waits_for_stage(5, "ahead", log)
    source = ("a = first_call()\n"
              "while a is None:\n    pass\n"
              "c = helper(a)\n" + FILLER + "b = c + 1\n")
    ns = opportune.run_source(source, {"first_call": first_call, "helper": lambda x: x * 10})
    assert log == ["call started", ("stage", 5, "ahead"), "call ended"]
    assert ns["b"] == 11


def test_a_stage_in_the_arm_of_an_if_on_a_pending_condition(
        compiled_stages: list[tuple[int, str]]) -> None:
    @opportune.external(name="fetch")
    def fetch(x: int) -> int:
        return x + 1

    arm = "".join(f"    w{i} = w{i - 1} + fetch({i})\n" for i in range(1, LINES))
    source = ("a = fetch(1)\n"
              "if a is None:\n    w0 = 0\n"
              "else:\n    w0 = fetch(a)\n" + arm +
              "total = w0 + w5\n")
    plain: dict[str, object] = {"fetch": fetch.__wrapped__}
    exec(compile(source, "<plain>", "exec"), plain)  # noqa: S102
    ns = opportune.run_source(source, {"fetch": fetch})
    assert [line for line, _ in compiled_stages] == sorted({line for line, _ in compiled_stages})
    assert 6 in [line for line, _ in compiled_stages]  # the arm, after its first call
    assert {k: v for k, v in ns.items() if k.startswith(("w", "total"))} \
        == {k: v for k, v in plain.items() if k.startswith(("w", "total"))}
    assert not [k for k in ns if k.startswith("__opp_")]


def test_an_error_found_by_the_compiler_stops_the_program_before_any_call() -> None:
    calls: list[int] = []

    @opportune.external(name="note")
    def note(x: int) -> int:
        calls.append(x)
        return x

    source = "a = note(1)\n" + FILLER + "break\n"
    with pytest.raises(SyntaxError, match="'break' outside loop"):
        opportune.run_source(source, {"note": note})
    assert calls == []


def test_short_programs_are_compiled_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    _, group = compile_staged("a = f()\n" + "b = 1\n" * 3, "<short>")
    assert group is None
    monkeypatch.delenv(stages.ENV_LINES)
    _, group = compile_staged("a = f()\n" + FILLER, "<default>")
    assert group is None  # shorter than DEFAULT_PROGRAM_LINES
    monkeypatch.setenv(stages.ENV_LINES, "0")
    _, group = compile_staged("a = f()\n" * 200, "<off>")
    assert group is None


def test_a_bad_stage_lines_setting_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(stages.ENV_LINES, "many")
    with pytest.raises(ValueError, match="give a number of lines"):
        compile_staged("a = 1\n", "<bad>")


def test_stages_are_dropped_when_the_run_ends(compiled_stages: list[tuple[int, str]]) -> None:
    before = set(stages._registry)
    source = "a = f(1)\n" + FILLER + "if a:\n    b = f(2)\n" + FILLER.replace("v", "u")
    ns = opportune.run_source(source, {"f": lambda x: x})
    assert ns["b"] == 2
    assert set(stages._registry) == before
    assert compiled_stages  # it was staged


def test_only_the_statements_that_call_a_name_cut() -> None:
    import ast

    def first(source: str) -> bool:
        return stages.issues_call(ast.parse(source).body[0])

    assert first("x = fetch(1)")
    assert first("@deco(1)\ndef f(): pass")
    assert not first("x = len([1]).bit_length()")
    assert not first("def f():\n    return fetch(1)")
    assert not first("g = lambda: fetch(1)")


def test_a_stage_that_starts_with_a_string_binds_no_docstring(
        compiled_stages: list[tuple[int, str]]) -> None:
    source = '"""The module."""\na = f(1)\n"a plain string"\n' + FILLER
    ns = opportune.run_source(source, {"f": lambda x: x})
    assert compiled_stages[0][0] == 3
    assert ns["__doc__"] == "The module."


def test_a_future_import_keeps_the_program_whole() -> None:
    source = "from __future__ import annotations\na = f(1)\nx: undefined_name = 1\n" + FILLER
    _, group = compile_staged(source, "<future>")
    assert group is None
    ns = opportune.run_source(source, {"f": lambda x: x})
    assert ns["__annotations__"] == {"x": "undefined_name"}
