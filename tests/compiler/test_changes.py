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


CHAINS = textwrap.dedent('''
    seen = []
    COUNT = 0
    table = {"k": [1], "n": 1, "gone": 0}

    def value(v):
        seen.append(("value", v))
        return v

    def get(tag):
        seen.append(("get", tag))
        return table

    def key(k):
        seen.append(("key", k))
        return k

    class Box:
        def __init__(self):
            self.items = {"a": [0]}

        @property
        def rows(self):
            seen.append("rows")
            return self.items

    def work():
        global COUNT
        box = Box()
        get("set")[key("k")] = value([2])
        get("aug")[key("n")] += value(1)
        get("list")["k"] += value([3])
        box.rows["a"] += value([4])
        box.rows["b"] = value(5)
        first, get("pair")[key("p")] = value(1), value(2)
        del get("del")[key("gone")]
        COUNT += value(1)
        COUNT = COUNT + 1
        for COUNT in range(3):
            pass
        return sorted(table.items()), box.items, first, COUNT

    result = work()
''')


def test_stores_through_chains_evaluate_each_part_once_in_pythons_order(guarded: bool) -> None:
    """``get()[key()] = value()`` and its augmented, tuple and ``del`` forms, a property as the
    target's object, and a ``global`` rebound: same result, each part evaluated once, in the
    same order, whether or not the owner hooks run."""
    plain = _run(CHAINS, compiled=False)
    ours = _run(CHAINS, compiled=True)
    assert ours["result"] == plain["result"]
    assert ours["seen"] == plain["seen"]
    assert ours["COUNT"] == plain["COUNT"]


def test_stores_through_chains_name_their_object_and_global_rebinding_is_told() -> None:
    text = ast.unparse(transform(ast.parse(
        "def f(a):\n    global G\n    a.b[0] = 1\n    a.b.c += 2\n    G = 3\n    x = 4\n")))
    assert "__opportune_owner__(a.b)" in text
    assert "__opportune_owner__(a.b, 'c', True)" in text
    assert text.count("__opportune_changing_globals__(('G',))") == 1  # before G = 3 only


TARGETS = textwrap.dedent('''
    seen = []
    table = {"k": 0}

    def value(*vs):
        seen.append(("value", vs))
        return list(vs)

    def get(tag):
        seen.append(("get", tag))
        return table

    def key(k):
        seen.append(("key", k))
        return k

    class Manager:
        def __enter__(self):
            seen.append("enter")
            return 9

        def __exit__(self, *exc):
            seen.append("exit")
            return False

    class Box:
        def __init__(self):
            self.rows = [[0, 0]]

    def work():
        box = Box()
        for get("for")[key("k")] in value(1, 2):
            seen.append("body")
        for i, box.rows[0][i] in enumerate(value(3, 4)):
            pass
        made = [table["c"] for get("comp")[key("c")] in value(5, 6)]
        made += list(table["g"] for get("gen")[key("g")] in value(7))
        with Manager() as get("with")[key("w")]:
            seen.append("inside")
        get("ann")[key("a")]: int = value(8)
        return sorted(table.items()), box.rows, made

    result = work()
''')


def test_loop_with_and_comprehension_targets_evaluate_each_part_once_in_pythons_order(
        guarded: bool) -> None:
    """``for get()[key()] in ...``, its comprehension, generator, ``with ... as`` and annotated
    forms: same result, each part evaluated once per store, in the same order, whether or not
    the target hooks run."""
    plain = _run(TARGETS, compiled=False)
    ours = _run(TARGETS, compiled=True)
    assert ours["result"] == plain["result"]
    assert ours["seen"] == plain["seen"]


def test_loop_with_and_comprehension_targets_name_their_object() -> None:
    text = ast.unparse(transform(ast.parse(
        "def f(a, xs):\n"
        "    for a.b[0] in xs:\n        pass\n"
        "    for i, a.c in xs:\n        pass\n"
        "    with open(xs) as a.f:\n        pass\n"
        "    return [0 for a.d in xs]\n")))
    for owner in ("a.b", "a", "a", "a"):
        assert f"__opportune_target__({owner})" in text
    assert text.count("__opportune_target__(") == 4


def test_top_level_rebinding_of_a_name_functions_read_is_told() -> None:
    """Only top-level statements that rebind a name some function or lambda of the module
    loads get the check; a ``from __future__`` import never has anything before it."""
    source = textwrap.dedent('''
        """doc"""
        from __future__ import annotations
        import json
        LIMIT = 1
        OTHER = 1

        class Config:
            limit = staticmethod(lambda: LIMIT)

        def helper():
            return json.dumps(LIMIT)

        for LIMIT in range(2):
            OTHER = 2
        LIMIT += 1
    ''')
    lines = ast.unparse(transform(ast.parse(source))).splitlines()
    told = [(lines[i + 1].strip(), lines[i + 2].split(" ")[:2]) for i, line in enumerate(lines)
            if line == "if __opportune_guarded__:"
            and "__opportune_changing_globals__" in lines[i + 1]]
    limit = "__opportune_changing_globals__(('LIMIT',))"
    assert told == [("__opportune_changing_globals__(('json',))", ["import", "json"]),
                    (limit, ["LIMIT", "="]), (limit, ["for", "LIMIT"]), (limit, ["LIMIT", "+="])]
    assert lines[1] == "from __future__ import annotations"
    namespace: dict[str, Any] = {"__name__": "prog"}
    hooks.install()
    exec(compile(transform(ast.parse(source)), "<prog>", "exec"), namespace)  # noqa: S102
    assert namespace["LIMIT"] == 2


def test_top_level_binds_outside_assignments_are_told_where_they_bind() -> None:
    """``except ... as``, ``case`` captures and ``:=`` bind a name the module's functions load
    without an assignment statement: each is told once what it binds is evaluated, and so is
    an assignment whose value makes a call (which may start a reader of the name itself).
    Names no function loads, and values that call nothing, keep the plain form or nothing."""
    source = textwrap.dedent('''
        LIMIT = MODE = TAG = 1
        OTHER = 0

        def limit():
            return (LIMIT, MODE, TAG)

        try:
            raise ValueError("v")
        except ValueError as LIMIT:
            caught = str(LIMIT)
        except KeyError as OTHER:
            pass
        match [2, 3]:
            case [MODE, *OTHER]:
                pass
        if (TAG := 4) and (OTHER := 5):
            pass
        picked = [TAG for w in [6, 7] if (TAG := w)]
        LIMIT = len("abc")
        MODE = 8
    ''')
    text = ast.unparse(transform(ast.parse(source)))
    assert "except __opportune_telling__(ValueError, ('LIMIT',)) as LIMIT:" in text
    assert "except KeyError as OTHER:" in text
    assert "match __opportune_telling__(__opportune_concrete__([2, 3]), ('MODE',)):" in text
    assert "(TAG := __opportune_telling__(4, ('TAG',)))" in text
    assert "(OTHER := 5)" in text
    assert "if (TAG := __opportune_telling__(w, ('TAG',)))]" in text
    assert "LIMIT = __opportune_telling__(" in text
    assert text.count("__opportune_changing_globals__(('MODE',))") == 1  # MODE = 8 only
    namespace: dict[str, Any] = {"__name__": "prog"}
    hooks.install()
    exec(compile(transform(ast.parse(source)), "<prog>", "exec"), namespace)  # noqa: S102
    assert (namespace["caught"], namespace["MODE"], namespace["OTHER"]) == ("v", 8, 5)
    assert (namespace["TAG"], namespace["picked"], namespace["LIMIT"]) == (7, [6, 7], 3)


def test_names_functions_bind_as_their_own_locals_are_not_told() -> None:
    """A function's own locals (parameters, assignments, loop targets, imports) never read the
    module's namespace, so a top-level rebinding of the same name is not told; a name a
    nested scope declares ``global``, or one a function only loads, still is."""
    source = textwrap.dedent('''
        def total_of(xs, *rest, **options):
            total = 0
            for i in xs:
                total += i
            import json
            return total, json, rest, options, [k for k in options]

        def bump():
            def inner():
                global count
                count = 1
            count = 0
            inner()
            return count + limit

        for i in range(3):
            total = len("ab")
        json = xs = rest = options = k = None
        count = len("abc")
        limit = 2
    ''')
    text = ast.unparse(transform(ast.parse(source)))
    for name in ("i", "total", "json", "xs", "rest", "options"):
        assert f"(('{name}',))" not in text, name
    assert "__opportune_changing_globals__(('limit',))" in text
    assert "count = __opportune_telling__(" in text


def test_top_level_exec_and_eval_tell_every_name_functions_load() -> None:
    """``exec(code)`` and ``eval(code)`` at the top level may rebind any name of the module
    (p605): each tells the names the module's functions load once its code is evaluated; one
    inside a function is left as it is."""
    source = textwrap.dedent('''
        LIMIT = MODE = 1

        def limit():
            exec("pass")
            return (LIMIT, MODE)

        exec("LIMIT = 2")
        seen = eval("(MODE := 3)")
    ''')
    text = ast.unparse(transform(ast.parse(source)))
    assert "exec(__opportune_telling__('LIMIT = 2', ('LIMIT', 'MODE'" in text
    assert "eval(__opportune_telling__('(MODE := 3)', ('LIMIT', 'MODE'" in text
    assert "exec('pass')" in text
    namespace: dict[str, Any] = {"__name__": "prog"}
    hooks.install()
    exec(compile(transform(ast.parse(source)), "<prog>", "exec"), namespace)  # noqa: S102
    assert (namespace["LIMIT"], namespace["MODE"], namespace["seen"]) == (2, 3, 3)
