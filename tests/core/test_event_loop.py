"""The runtime's event loop starts with the first external call (runtime/scheduler.py): a run
without calls starts no loop thread and imports no asyncio, and runs with calls (sync, async,
calls waiting on pending inputs) behave as before."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

import opportune
from opportune.runtime.scheduler import Runtime

pytestmark = pytest.mark.timeout(60)


def _loop_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "opportune-loop"]


@opportune.external
def double(x: int) -> int:
    return 2 * x


@opportune.external
async def triple(x: int) -> int:
    return 3 * x


def test_a_run_without_calls_starts_no_loop_thread() -> None:
    def program() -> tuple[int, list[str]]:
        return sum(range(10)), _loop_threads()

    total, seen = opportune.run(program)
    assert (total, seen) == (45, [])


def test_the_first_call_starts_the_loop_thread() -> None:
    def program() -> tuple[list[str], int, list[str]]:
        before = _loop_threads()
        value = double(4)
        return before, value, _loop_threads()

    before, value, after = opportune.run(program)
    assert (before, value, after) == ([], 8, ["opportune-loop"])


def test_a_call_waiting_on_a_pending_input_starts_the_loop() -> None:
    def program() -> int:
        return double(double(double(1)))

    assert opportune.run(program) == 8


def test_async_externals_run_on_the_loop() -> None:
    def program() -> list[int]:
        return [triple(i) for i in range(4)]

    assert opportune.run(program) == [0, 3, 6, 9]


def test_a_closed_run_that_never_had_a_loop_refuses_work() -> None:
    rt = Runtime().start()
    rt.close()
    assert rt._loop_thread is None
    with pytest.raises(RuntimeError, match="closed"):
        rt._loop.call_soon_threadsafe(lambda: None)


def test_a_run_without_calls_imports_no_asyncio() -> None:
    code = (
        "import sys, opportune\n"
        "def program():\n"
        "    return sum(range(10))\n"
        "print(opportune.run(program), 'asyncio' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout == "45 False\n"
