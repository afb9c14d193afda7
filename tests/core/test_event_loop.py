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


# A callback on the loop thread that raises: the stand-in for a bug there. It is registered
# first on a value; the callback after it, which finishes a value derived from that one, is
# lost with it. Run in a process of its own, with a time limit: before the loop thread's errors
# reached the program, the wait for the lost value never ended.
_BROKEN_CALLBACK = '''
import sys
import threading

from opportune.runtime.scheduler import Runtime
from opportune.runtime.values import DONE

rt = Runtime().start()
call = rt.new_pending("a call")
after = rt.new_pending("a value derived from it")


def broken():
    raise ZeroDivisionError("a bug in a callback")


rt._when_ready([call], broken)
rt._when_ready([call], lambda: rt._finish(after, DONE, 2, None))
threading.Thread(target=rt._finish_on_worker, args=(call, DONE, 1, None)).start()
try:
    rt.wait_for(after)
finally:
    rt.close()
print("finished", after._value)
'''


def test_an_error_on_the_loop_thread_ends_the_program_with_a_clear_error() -> None:
    try:
        done = subprocess.run([sys.executable, "-c", _BROKEN_CALLBACK], capture_output=True,
                              text=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("the program waited forever for a value the broken callback never made")
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert "ZeroDivisionError: a bug in a callback" in done.stderr
    last = done.stderr.rstrip().splitlines()[-1]
    assert last.startswith("opportune.runtime.scheduler.EventLoopFailed: opportune: the "
                           "runtime's event-loop thread raised ZeroDivisionError"), last
    assert "bug in opportune" in last


class Shy:
    def __str__(self) -> str:
        raise ValueError("not shown")


@opportune.external
def shy() -> Shy:
    return Shy()


def test_a_print_that_raises_on_the_loop_thread_is_the_programs_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The error of a queued print (its argument's ``__str__``), raised where the print is
    written (on the loop thread, once ``double`` is done), is the program's, met where it
    would meet a failed call: nothing after the print is written."""

    def program() -> int:
        value = double(1)
        print("before", value)
        print(shy(), double(2))
        total = 0
        for i in range(1000):
            total += i
        print("after", total)
        return total

    with pytest.raises(ValueError, match="not shown"):
        opportune.run(program)
    assert capsys.readouterr().out == "before 2\n"
