"""``opportune.run(fn)`` and ``@opportune.parallel`` behave as ``fn(...)``: a function wrapped
with ``functools.wraps`` runs its wrapper (whose own code is compiled, not the wrapped
function's source in its place), and ``run`` of a ``parallel`` function runs the function."""

from __future__ import annotations

import functools

import pytest

import opportune

pytestmark = pytest.mark.timeout(60)

CALLS: list[str] = []


@opportune.external
def shout(x: str) -> str:
    return x.upper()


def announced(f):  # type: ignore[no-untyped-def]
    @functools.wraps(f)
    def inner(*args):  # type: ignore[no-untyped-def]
        CALLS.append(f"wrapper of {f.__name__}{args}")
        return f(*args)
    return inner


@announced
def job(x: str) -> str:
    return shout(x) + shout(x + "!")


@opportune.parallel
def worker(name: str) -> str:
    return shout(name) + job(name)


def test_run_of_a_wrapped_function_runs_its_wrapper() -> None:
    CALLS.clear()
    assert opportune.run(job, "a") == "AA!"
    assert CALLS == ["wrapper of job('a',)"]


def test_run_of_a_parallel_function_runs_the_function() -> None:
    CALLS.clear()
    assert opportune.run(worker, "b") == "BBB!"
    assert worker("c") == "CCC!"
    assert CALLS == ["wrapper of job('b',)", "wrapper of job('c',)"]
