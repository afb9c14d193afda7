"""The runtime's event loop starts on first use (runtime/scheduler.py): a run that never needs
it starts no loop thread, and runs that do need it (async externals, calls that wait on pending
inputs) behave as before."""

from __future__ import annotations

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


def test_sync_calls_with_ready_inputs_start_no_loop_thread() -> None:
    def program() -> tuple[list[int], list[str]]:
        values = [double(i) for i in range(5)]
        return values, _loop_threads()

    values, seen = opportune.run(program)
    assert values == [0, 2, 4, 6, 8]
    assert seen == []


def test_a_call_waiting_on_a_pending_input_starts_the_loop() -> None:
    def program() -> int:
        return double(double(double(1)))

    assert opportune.run(program) == 8


def test_async_externals_run_on_the_loop() -> None:
    def program() -> list[int]:
        return [triple(i) for i in range(4)]

    assert opportune.run(program) == [0, 3, 6, 9]


def test_close_without_a_loop_and_a_loop_asked_for_after_close() -> None:
    rt = Runtime().start()
    rt.close()
    assert rt._loop_thread is None
    with pytest.raises(RuntimeError, match="closed"):
        rt._loop.call_soon_threadsafe(lambda: None)
