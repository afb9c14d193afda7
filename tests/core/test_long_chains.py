"""A long chain of values derived from answers still pending finishes without running out of
stack: when the first answer arrives, each value finished lets the next one finish, and those
steps run one after another rather than each inside the one before (runtime/scheduler.py,
``_run_callbacks``)."""

from __future__ import annotations

import sys
import threading

import pytest

import opportune

pytestmark = pytest.mark.timeout(60)

GATE = threading.Event()


@opportune.external
def first() -> int:
    GATE.wait(30)  # until the program has built the whole chain on it
    return 1


@opportune.external
def ask(i: int) -> int:
    return i


@opportune.external
def release() -> int:
    GATE.set()
    return 0


def chain(n: int) -> int:
    x = first()
    for i in range(n):
        x = x + ask(i)
    release()
    return x


def test_a_chain_longer_than_the_recursion_limit_finishes() -> None:
    n = sys.getrecursionlimit() * 3
    GATE.clear()
    assert opportune.run(chain, n) == 1 + n * (n - 1) // 2
