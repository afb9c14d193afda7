"""An ``if`` prepared to run its arm later, whose condition turns out to be no pending value,
runs as written: no arm function is called, no name captured (compiler/deferral.py,
``_decided_first``). A program without external calls must run at about CPython's speed, and
capturing the names for every iteration of a loop costs many times the ``if`` itself. These
tests count the entries into the runtime's hooks, never durations."""

from __future__ import annotations

import ast
import builtins
import time
from collections.abc import Iterator
from typing import Any

import pytest

import opportune
from opportune.compiler import deferral
from opportune.compiler.transform import transform
from opportune.runtime import hooks

pytestmark = pytest.mark.timeout(60)

HOOKS = (deferral.DEFER_IF, deferral.CAPTURE, deferral.RESULTS)


@pytest.fixture
def entered(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """How many times the compiled code entered each of the deferred statement's hooks."""
    hooks.install()
    counts = dict.fromkeys(HOOKS, 0)
    for name in HOOKS:
        real = getattr(builtins, name)

        def counting(*args: Any, _real: Any = real, _name: str = name, **kw: Any) -> Any:
            counts[_name] += 1
            return _real(*args, **kw)

        monkeypatch.setattr(builtins, name, counting)
    yield counts


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
    assert entered == dict.fromkeys(HOOKS, 0)


def test_nested_decided_ifs_run_as_written(entered: dict[str, int]) -> None:
    assert opportune.run(nested, 300) == nested(300)
    assert entered == dict.fromkeys(HOOKS, 0)


def test_a_pending_condition_still_defers(entered: dict[str, int]) -> None:
    assert opportune.run(pending_condition, 6) == ["0", "2", "4"]
    assert entered[deferral.DEFER_IF] == 6


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
    assert entered[deferral.DEFER_IF] == 0


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
    # each level adds a bounded amount: twice the nesting gives about twice the code, not
    # the square of it
    small, large = compiled_size(chain(4)), compiled_size(chain(8))
    assert large < 3 * small


def test_nested_chain_gives_plain_results() -> None:
    ns: dict[str, Any] = {}
    exec(chain(5), ns)  # noqa: S102
    run = opportune.run_source(chain(5) + "r = [f([0] * n) for n in range(7)]\n")
    assert run["r"] == [ns["f"]([0] * n) for n in range(7)]
