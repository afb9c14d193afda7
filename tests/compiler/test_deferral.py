"""The syntax half of deferred statements: what may move, which names it uses, and that nested
deferrable statements keep the compiled code small."""

from __future__ import annotations

import ast
import textwrap

import pytest

from opportune.compiler.deferral import arm_names, deferrable, deferrable_loop
from opportune.compiler.transform import transform


def _stmt(source: str) -> ast.stmt:
    return ast.parse(textwrap.dedent(source)).body[0]


@pytest.mark.parametrize(("source", "expected"), [
    ("if c:\n    x = f(a)\n", True),
    ("if c:\n    x = f(a)\nelse:\n    x = g(b)\n", True),
    ("if c:\n    x = a + 1\n", False),  # no call: if-converted instead
    ("if c:\n    print(f(a))\n", False),  # output of its own
    ("if c:\n    items.append(f(a))\n", False),  # changes an object it did not create
    ("if c:\n    box.v = f(a)\n", False),
    ("if c:\n    return f(a)\n", False),
    ("if c:\n    raise ValueError(f(a))\n", False),
    ("if c:\n    x = f(a)\n    break\n", False),
    ("if c:\n    for y in ys:\n        if f(y):\n            break\n", True),  # its own loop
    # a list it built itself, but the name also carries the value from before the if, which
    # an arm that appends first would change: refused (conservative)
    ("if c:\n    acc = []\n    acc.append(f(a))\n", False),
    ("if c:\n    x = super().f()\n", False),
    ("if c:\n    global g\n    g = f(a)\n", False),
])
def test_which_if_statements_may_be_deferred(source: str, expected: bool) -> None:
    node = _stmt(source)
    assert isinstance(node, ast.If)
    assert deferrable(node) is expected


@pytest.mark.parametrize(("source", "expected"), [
    ("for x in xs:\n    total = total + f(x)\n", True),
    ("for x in xs:\n    if f(x):\n        break\n    n = n + 1\n", True),
    ("for x in xs:\n    out.append(f(x))\n", False),
    ("for x in xs:\n    total = total + x\n", False),  # no call: nothing to overlap
])
def test_which_loops_may_be_deferred(source: str, expected: bool) -> None:
    node = _stmt(source)
    assert isinstance(node, ast.For)
    assert deferrable_loop(node) is expected


def test_arm_names_leave_out_names_local_to_comprehensions_and_lambdas() -> None:
    body = ast.parse(textwrap.dedent("""\
        ys = [f(v) for v in xs if v]
        key = lambda k: k + offset
        best = max(ys, key=key)
        tool.run(best)
        (n := len(ys))
        "{}".format(best)
        g()(best)
    """)).body
    names = arm_names(body)
    assert names.assigned == ("ys", "key", "best", "n")
    assert set(names.read) == {"f", "xs", "offset", "max", "ys", "key", "tool", "best", "len",
                               "g"}
    assert "v" not in names.read and "k" not in names.read
    assert names.called == ("f", "max", "len", "g")
    assert names.methods == (("tool", "run", False),)
    assert names.other_calls  # g()(best): what it calls is not a name


def test_arm_names_trace_method_receivers_to_the_names_they_came_from() -> None:
    body = ast.parse(textwrap.dedent("""\
        for ev in events:
            start = ev.start.strftime("%H:%M")
            c = ctx.client
            c.post(start)
    """)).body
    names = arm_names(body)
    assert ("ev", "strftime", True) in names.methods
    assert ("c", "post", False) in names.methods
    assert set(names.aliases) == {("ev", "events"), ("c", "ctx")}
    assert not names.other_calls


def test_nested_deferrable_statements_keep_the_compiled_code_small() -> None:
    """Each deferred statement's body exists once, as its arm function: the compiled code
    grows with the square of the nesting (each level captures the names of those inside it),
    not exponentially."""
    def nested(depth: int) -> str:
        lines, indent = [], ""
        for i in range(depth):
            lines.append(f"{indent}if f({i}):")
            indent += "    "
            lines.append(f"{indent}x{i} = g({i})")
        return "\n".join(lines) + "\n"

    sizes = [len(ast.unparse(transform(ast.parse(nested(d))))) for d in (4, 8)]
    assert sizes[1] < 5 * sizes[0]  # doubling the depth: 4x when quadratic, 16x+ when not
    assert ast.unparse(transform(ast.parse(nested(8)))).count("__opportune_defer_if__") == 8
