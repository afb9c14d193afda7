"""In-place changes made visible to the runtime (compiler/changes.py, the guarded call sites of
compiler/callsites.py): compiled code does exactly what plain Python does, whether or not
``__opportune_guarded__`` is set, and evaluates each operand once, in Python's order."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

from opportune.compiler.transform import transform
from opportune.runtime import context, hooks

PROGRAM = textwrap.dedent('''
    seen = []

    def value(v):
        seen.append(v)
        return v

    def work():
        lst = [1, 2, 3]
        lst += value([4])
        n = 1
        n += value(2)
        s = "a"
        s *= value(3)
        d = {"a": 1, "b": 2, "c": 3}
        del d["a"], lst[0]
        box = type("Box", (), {})()
        box.x = 5
        del box.x
        out = []
        out.append(n)
        d.update({"z": 9})
        d.pop("b")
        st = {1}
        st.add(2)
        st.discard(1)
        lst[0:1] = []
        d |= value({"q": 0})
        return lst, n, s, sorted(d.items()), hasattr(box, "x"), out, st

    result = work()

    def unbound():
        total += value(1)
        total = 0

    try:
        unbound()
    except UnboundLocalError as e:
        error = str(e)
''')


def _run(source: str, compiled: bool) -> dict[str, Any]:
    tree = ast.parse(source)
    if compiled:
        tree = transform(tree)
    namespace: dict[str, Any] = {"__name__": "prog"}
    exec(compile(tree, "<prog>", "exec"), namespace)  # noqa: S102
    return namespace


@pytest.fixture(params=[False, True], ids=["unguarded", "guarded"])
def guarded(request: pytest.FixtureRequest) -> Iterator[bool]:
    hooks.install()
    if request.param:
        context.GUARDED.append(-1)  # as if a try body or a concurrent reader were open
    try:
        yield request.param
    finally:
        if request.param:
            context.GUARDED.remove(-1)


def test_compiled_changes_do_what_python_does(guarded: bool) -> None:
    plain = _run(PROGRAM, compiled=False)
    ours = _run(PROGRAM, compiled=True)
    assert ours["result"] == plain["result"]
    assert ours["seen"] == plain["seen"]  # each value evaluated once, in the same order
    assert ours["error"] == plain["error"]  # the name is read before the value, as in Python


def test_mutating_call_sites_test_the_guard_and_pure_ones_do_not() -> None:
    tree = transform(ast.parse("def f(xs, t):\n    xs.append(1)\n    return t.upper()\n"))
    text = ast.unparse(tree)
    append_line, upper_line = [line for line in text.splitlines() if "append" in line or
                               "upper" in line]
    assert "__opportune_guarded__" in append_line
    assert "__opportune_guarded__" not in upper_line
