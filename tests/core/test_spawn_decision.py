"""When a call of the program's own function gets a thread of its own (runtime/spawn.py).

A leaf function (only builtin operations, compiler/purity.py) given plain data runs in place:
it can neither wait for a call nor make one, and starting a thread would only make its caller
wait for the thread to start. Given a pending value it still starts at once on its own thread,
so the caller goes on while the value arrives. The decision is read from ``maybe_spawn``
itself, on a real runtime.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import opportune
from opportune.compiler.modules import compile_module_source
from opportune.compiler.registry import pure_functions
from opportune.runtime import hooks
from opportune.runtime.externals import spec_of
from opportune.runtime.scheduler import Runtime
from opportune.runtime.spawn import maybe_spawn
from opportune.runtime.values import Pending

pytestmark = pytest.mark.timeout(60)

SOURCE = '''
def describe(numbers):
    listed = " ".join(str(n) for n in numbers)
    return f"Numbers: {listed}"
'''

release = threading.Event()


@opportune.external
def slow_numbers() -> tuple[int, ...]:
    release.wait(10)
    return (1, 2, 3)


@pytest.fixture
def describe() -> Any:
    namespace: dict[str, Any] = {"__name__": "leaf_example"}
    exec(compile_module_source(SOURCE, "<leaf example>"), namespace)
    return namespace["describe"]


@pytest.fixture
def rt() -> Iterator[Runtime]:
    hooks.install()  # the names compiled code calls, as every run installs them
    runtime = Runtime().start()
    try:
        yield runtime
    finally:
        release.set()
        runtime.close()
        release.clear()


@pytest.mark.parametrize("argument", [
    (4, 9, 10),
    [4, 9, 10],
    frozenset({1, 2}),
    {"a": (1, 2), "b": [3.5, None]},
    ((10, 13, 13), ("4 + 9 = 13",)),
    "4 9 10",
])
def test_a_leaf_given_plain_data_runs_in_place(rt: Runtime, describe: Any, argument: Any) -> None:
    facts = pure_functions[id(describe.__code__)]
    assert facts.leaf and facts.worth_spawning
    assert maybe_spawn(rt, describe, facts, (argument,), {}) is None


def test_a_leaf_given_a_pending_value_starts_on_its_own_thread(
    rt: Runtime, describe: Any
) -> None:
    spec = spec_of(slow_numbers)
    assert spec is not None
    pending = rt.issue(spec, slow_numbers.__opportune_target__, (), {})
    assert type(pending) is Pending
    facts = pure_functions[id(describe.__code__)]
    for argument in (pending, [pending], {"k": (1, pending)}):
        started = maybe_spawn(rt, describe, facts, (argument,), {})
        assert type(started) is Pending  # the caller did not wait for slow_numbers
    release.set()
    assert started._force() == "Numbers: k"


def test_a_program_gets_the_same_answers(describe: Any) -> None:
    def program() -> list[str]:
        return [describe(t) for t in [(1, 2), [3], {4: 5}, ()]]

    assert opportune.run(program) == program()


@opportune.external
def _announces(x: int) -> int:
    print("looking up", x)
    return x


@opportune.external
def _asks(x: int) -> str:
    return input(f"value for {x}? ")


@opportune.external
def _looks_up(x: int) -> int:
    return x


def test_code_that_calls_an_external_the_program_waits_for_does_not_run_concurrently() -> None:
    from opportune.runtime.spawn import _safe

    assert spec_of(_asks).waited_for  # type: ignore[union-attr]
    assert not _safe(_asks, copied=False)  # it reads stdin: it must run in program order
    # what it prints is captured and written at its place (runtime/capture.py)
    assert not spec_of(_announces).waited_for  # type: ignore[union-attr]
    assert _safe(_announces, copied=False)
    assert _safe(_looks_up, copied=False)


_file_log = logging.getLogger("opportune-test-spawn-file")


@opportune.external
def _logs_it(x: int) -> int:
    _file_log.info("got %d", x)
    return x


def test_code_that_calls_an_external_logging_to_a_file_does_not_run_concurrently(
        tmp_path: Path) -> None:
    """Such a call runs in program order (its records would reach the file at once), which
    code running concurrently cannot give it: a later call could be made, and log, first."""
    from opportune.runtime.spawn import _safe

    handler = logging.FileHandler(tmp_path / "spawn.log")
    _file_log.addHandler(handler)
    try:
        assert not _safe(_logs_it, copied=False)
    finally:
        _file_log.removeHandler(handler)
        handler.close()
