"""A call no worker has started yet runs on the program thread once the program waits for it.

Which thread gets there first is a race, so these tests take the workers out of it: their
threads never start (as on a machine so busy that no worker is scheduled before the program
waits), and every call must then run on the program thread, with the same results, failures
and recorded dependencies as when workers run them.
"""

from __future__ import annotations

import threading

import pytest

import opportune
from opportune.runtime.workers import Workers

pytestmark = pytest.mark.timeout(60)

THREADS: list[int] = []


@opportune.external
def ext_inner(x: int) -> int:
    THREADS.append(threading.get_ident())
    return x * 10


@opportune.external
def ext_outer(x: int) -> int:
    THREADS.append(threading.get_ident())
    return ext_inner(x) + 1  # an external called by an external runs in place


@opportune.external(writes=("log",))
def ext_log(line: str) -> str:
    THREADS.append(threading.get_ident())
    return line.upper()


@opportune.external
def ext_fail(x: int) -> int:
    raise ValueError(f"no answer for {x}")


def chained() -> tuple[int, int, str]:
    a = ext_outer(1)
    b = ext_outer(a + 1)  # waits for ``a`` first
    ext_log("done")  # never waited for: the end of the run takes it
    return a, b, "ok" if b > a else "no"


def failing() -> int:
    a = ext_outer(2)
    return ext_fail(a) + 1


@pytest.fixture
def no_worker_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Workers, "_grow", lambda self: None)


@pytest.mark.usefixtures("no_worker_threads")
def test_calls_run_on_the_program_thread_with_the_results_of_plain_python() -> None:
    expected = chained()
    THREADS.clear()
    assert opportune.run(chained) == expected
    assert THREADS and set(THREADS) == {threading.get_ident()}
    schedule = opportune.last_schedule()
    assert [c.name for c in schedule.calls] == ["ext_outer", "ext_outer", "ext_log"]
    first, second, log = schedule.calls
    assert all(c.ok for c in schedule.calls)
    assert first.call_id in second.deps  # its argument came from the first call
    assert log.finished is not None  # the end of the run made the call nobody waited for


@pytest.mark.usefixtures("no_worker_threads")
def test_a_call_run_in_place_fails_as_plain_python_fails() -> None:
    with pytest.raises(ValueError, match="no answer for 21"):
        failing()
    with pytest.raises(ValueError, match="no answer for 21"):
        opportune.run(failing)
    (_, fail) = opportune.last_schedule().calls
    assert fail.ok is False


def test_with_workers_the_same_program_gives_the_same_results_and_dependencies() -> None:
    expected = chained()
    assert opportune.run(chained) == expected
    first, second, _ = opportune.last_schedule().calls
    assert first.call_id in second.deps
