"""An ``if`` prepared to run its arm later, whose condition turns out to be no pending value,
runs as written: no arm function is called, no name captured (compiler/deferral.py,
``_decided_first``). A program without external calls must run at about CPython's speed, and
capturing the names for every iteration of a loop costs many times the ``if`` itself. These
tests count the entries into the runtime's hooks, never durations."""

from __future__ import annotations

import ast
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

import opportune
from opportune.compiler.transform import transform
from opportune.runtime import deferral as runtime_deferral
from opportune.runtime import hooks

pytestmark = pytest.mark.timeout(60)

HOOKS = ("defer_if", "capture", "arm_results")


@pytest.fixture
def entered() -> Iterator[dict[str, int]]:
    """How many times the program's thread entered each of the deferred statement's hooks
    (a profile function: a wrapper would add a frame, and the hooks read their caller's)."""
    hooks.install()
    counts = dict.fromkeys(HOOKS, 0)
    watched = {getattr(runtime_deferral, name).__code__: name for name in HOOKS}

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code in watched:
            counts[watched[frame.f_code]] += 1

    sys.setprofile(profile)
    try:
        yield counts
    finally:
        sys.setprofile(None)


def digits(n: int) -> tuple[int, str]:
    total = 0
    last = ""
    for i in range(n):
        if i % 3 == 0:
            pass
        else:
            last = str(i)
            total += len(last)
    return total, last


def nested(n: int) -> int:
    total = 0
    for i in range(n):
        if i % 2 == 0:
            if i % 3 == 0:
                total += len(str(i))
            else:
                total += 1
        else:
            total += 3
    return total


@opportune.external
def parity(i: int) -> int:
    time.sleep(0.001)
    return i % 2


def pending_condition(n: int) -> list[str]:
    out = []
    for i in range(n):
        if parity(i) == 0:
            out = out + [str(i)]
    return out


def test_a_decided_condition_runs_the_if_as_written(entered: dict[str, int]) -> None:
    assert opportune.run(digits, 300) == digits(300)
    # the loop itself is handed to its function once (its input is known): not per iteration
    assert entered == {"defer_if": 0, "capture": 1, "arm_results": 1}


def test_nested_decided_ifs_run_as_written(entered: dict[str, int]) -> None:
    assert opportune.run(nested, 300) == nested(300)
    assert entered == {"defer_if": 0, "capture": 1, "arm_results": 1}


def test_a_pending_condition_still_defers(entered: dict[str, int]) -> None:
    assert opportune.run(pending_condition, 6) == ["0", "2", "4"]
    assert entered["defer_if"] == 6


MODULE = """
total = 0
for i in range(200):
    if i % 3 == 0:
        pass
    else:
        s = str(i)
        total += len(s)
"""


def test_module_level_decided_if_runs_as_written(entered: dict[str, int]) -> None:
    plain: dict[str, Any] = {}
    exec(MODULE, plain)  # noqa: S102
    ns = opportune.run_source(MODULE)
    assert (ns["total"], ns["s"]) == (plain["total"], plain["s"])
    assert entered["defer_if"] == 0


def chain(depth: int) -> str:
    """``depth`` nested ``if``s, each with a call in both arms."""
    lines = ["def f(xs):", "    total = 0"]
    for level in range(depth):
        pad = "    " * (level + 1)
        lines += [f"{pad}if len(xs) > {level}:", f"{pad}    total += len(str({level}))",
                  f"{pad}else:", f"{pad}    total -= len(str({level}))"]
    lines.append("    return total")
    return "\n".join(lines) + "\n"


def compiled_size(source: str) -> int:
    return len(ast.unparse(transform(ast.parse(source), filename="x.py", program=True)))


def test_the_plain_copies_do_not_double_the_code_per_level() -> None:
    # a copy per level would make four more levels sixteen times the code; the deferred arms
    # keep the nested ifs' deferred form only, and large arms are not copied
    small, large = compiled_size(chain(4)), compiled_size(chain(8))
    assert large < 3 * small


def test_nested_chain_gives_plain_results() -> None:
    ns: dict[str, Any] = {}
    exec(chain(5), ns)  # noqa: S102
    run = opportune.run_source(chain(5) + "r = [f([0] * n) for n in range(7)]\n")
    assert run["r"] == [ns["f"]([0] * n) for n in range(7)]
