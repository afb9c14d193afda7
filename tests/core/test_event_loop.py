"""The runtime's event loop starts with the first external call (runtime/scheduler.py): a run
without calls starts no loop thread and imports no asyncio, and runs with calls (sync, async,
calls waiting on pending inputs) behave as before. A finished run parks its loop for the next
run only when it left nothing on it (runtime/loops.py)."""

from __future__ import annotations

import asyncio
import os
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


def _the_loop() -> asyncio.AbstractEventLoop:
    """The event loop of the current run (called from an async external); returned, it stays
    alive, so loops are told apart by identity."""
    return asyncio.get_running_loop()


@opportune.external
async def loop_thread_of_this_run() -> asyncio.AbstractEventLoop:
    return _the_loop()


@opportune.external
async def leave_a_timer(fired: list[str]) -> asyncio.AbstractEventLoop:
    asyncio.get_running_loop().call_later(30, fired.append, "timer")
    return _the_loop()


@opportune.external
async def set_a_handler() -> asyncio.AbstractEventLoop:
    asyncio.get_running_loop().set_exception_handler(lambda loop, context: None)
    return _the_loop()


def test_a_finished_run_parks_its_loop_for_the_next_run() -> None:
    first = opportune.run(loop_thread_of_this_run)
    names = _loop_threads()
    second = opportune.run(loop_thread_of_this_run)
    assert (first is second, first.is_closed(), names) == (True, False, [])  # parked: named opportune-loop-idle


def test_a_loop_left_with_a_timer_is_closed_not_parked() -> None:
    fired: list[str] = []
    first = opportune.run(lambda: leave_a_timer(fired))
    second = opportune.run(loop_thread_of_this_run)
    assert (first is not second, first.is_closed(), fired) == (True, True, [])


def test_a_loop_the_program_gave_a_handler_is_closed_not_parked() -> None:
    first = opportune.run(set_a_handler)
    second = opportune.run(loop_thread_of_this_run)
    assert (first is not second, first.is_closed()) == (True, True)


def test_a_run_after_runs_with_calls_still_starts_no_loop_thread() -> None:
    opportune.run(lambda: double(2))
    opportune.run(lambda: triple(2))
    test_a_run_without_calls_starts_no_loop_thread()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_makes_its_own_loop() -> None:
    code = (
        "import os, opportune\n"
        "@opportune.external\n"
        "async def triple(x):\n"
        "    return 3 * x\n"
        "print(opportune.run(lambda: triple(1)), flush=True)\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    print(opportune.run(lambda: triple(2)), flush=True)\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
        "print(opportune.run(lambda: triple(3)), flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True,
                          text=True, timeout=60, check=True)
    assert (done.stdout, done.stderr) == ("3\n6\n9\n", "")
