"""Names a deferred statement captures: one call reads them from the frame as the interpreter
would (locals, free variables, globals, builtins, unbound names), and the compiled code stays
a small multiple of the source.

Each program runs as plain Python and under opportune with a condition (or iterable) that is
still pending when the statement is reached, so the arm runs later from its captured names; the
results, or the error raised, must be the same.
"""

from __future__ import annotations

import ast
import textwrap
import time
from typing import Any

import opportune
from opportune.compiler.transform import transform


@opportune.external
def slow(value: Any) -> Any:
    time.sleep(0.02)
    return value


@opportune.external
def tool(*args: Any) -> str:
    return "tool" + repr(args)


def _plain(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"slow": slow.__wrapped__, "tool": tool.__wrapped__}
    exec(compile(source, "<plain>", "exec"), namespace)  # noqa: S102 (the reference run)
    return namespace


def _both(source: str, *names: str) -> None:
    """The same values of ``names`` (or the same error) in both runs."""
    source = textwrap.dedent(source)
    try:
        expected: Any = {n: _plain(source).get(n, "<unbound>") for n in names}
    except Exception as error:  # noqa: BLE001 (the error is the expected outcome)
        expected = (type(error), str(error))
    try:
        namespace = opportune.run_source(source, {"slow": slow, "tool": tool}, filename="<p>")
        got: Any = {n: namespace.get(n, "<unbound>") for n in names}
    except Exception as error:  # noqa: BLE001
        got = (type(error), str(error))
    assert got == expected


def test_module_level_names_are_read_as_plain_python_reads_them() -> None:
    _both("""
        base = "b"
        if slow(True):
            out = tool(base, len("abc"), out_before)
        """, "out")  # out_before is unbound: NameError inside the arm, as in plain Python


def test_module_level_arm_reads_globals_and_builtins() -> None:
    _both("""
        base = "b"
        if slow(True):
            out = tool(base, len("abc"))
        else:
            out = "no"
        after = out + "!"
        """, "out", "after")


def test_module_level_name_left_unbound_by_the_taken_arm_stays_unbound() -> None:
    _both("""
        if slow(False):
            fresh = tool(1)
        """, "fresh")
    _both("""
        if slow(False):
            fresh = tool(1)
        print(fresh)
        """, "fresh")


def test_a_module_level_name_shadows_a_builtin_of_the_same_name() -> None:
    _both("""
        len = lambda s: 99
        if slow(True):
            out = tool(len("abc"))
        """, "out")


def test_function_locals_free_variables_globals_and_builtins() -> None:
    _both("""
        G = "global"
        def outer():
            free = "free"
            def inner(param):
                local = param + 1
                if slow(True):
                    out = tool(local, free, G, len("ab"), param)
                return out
            return inner(1)
        result = outer()
        """, "result")


def test_a_free_variable_read_only_by_the_arm_is_still_captured() -> None:
    _both("""
        def outer():
            only_in_arm = "closure"
            def inner():
                for w in slow(["a", "b"]):
                    last = tool(w, only_in_arm)
                return last
            return inner()
        result = outer()
        """, "result")


def test_an_unbound_free_variable_raises_as_in_plain_python() -> None:
    _both("""
        def outer():
            def inner():
                if slow(True):
                    out = tool(late)
                return out
            value = inner()
            late = 1
            return value
        result = outer()
        """, "result")


def test_an_unbound_local_does_not_fall_back_to_the_global_of_the_same_name() -> None:
    _both("""
        shadow = "global"
        def f(flag):
            if flag:
                shadow = "local"
            if slow(True):
                out = tool(shadow)
            return out
        result = f(False)
        """, "result")


def test_a_local_left_unbound_by_the_taken_arm_stays_unbound() -> None:
    _both("""
        def f():
            if slow(False):
                value = tool(1)
            try:
                return value
            except NameError as error:
                return type(error).__name__
        result = f()
        """, "result")


def test_a_method_reads_globals_not_names_of_its_class_body() -> None:
    _both("""
        x = "global x"
        class C:
            x = "class x"
            def m(self):
                if slow(True):
                    out = tool(x)
                return out
        result = C().m()
        """, "result")


def test_a_nonlocal_name_assigned_by_a_deferred_arm() -> None:
    _both("""
        def outer():
            count = 0
            def bump():
                nonlocal count
                if slow(True):
                    count = count + len(tool(count))
            bump()
            return count
        result = outer()
        """, "result")


def test_a_nested_deferred_statement_reads_the_names_of_the_arm_around_it() -> None:
    _both("""
        total = 0
        for w in slow(["a", "bb", "ccc"]):
            if slow(len(w) > 1):
                total = total + len(tool(w))
            else:
                skipped = w
        """, "total", "skipped", "w")


def test_a_statement_whose_condition_is_known_runs_its_arm_at_once() -> None:
    _both("""
        flag = len("x") == 1
        if flag:
            a = tool(1)
        else:
            b = tool(2)
        for i in range(2):
            c = tool(i)
        def f(n):
            if n:
                d = tool(n)
            return d
        e = f(3)
        """, "a", "b", "c", "i", "e")


def _compiled(source: str) -> str:
    return ast.unparse(transform(ast.parse(textwrap.dedent(source))))


def test_names_are_captured_by_one_call_not_one_guarded_read_each() -> None:
    code = _compiled("""
        if c:
            x = f(a, b, d, e, g)
        """)
    assert code.count("__opportune_capture__") == 1
    assert "except NameError" not in code


def test_only_names_that_may_be_free_variables_are_read_where_the_statement_stands() -> None:
    code = _compiled("""
        def outer():
            def inner(a):
                if c:
                    x = f(a)
                return x
            return inner
        """)
    # c is the condition, not captured; f and a may be free in inner; x is assigned
    assert code.count("except NameError") == 2
    assert "__opp_dh" in code


def test_both_arms_of_an_if_share_one_function() -> None:
    code = _compiled("""
        def h(c, a, b):
            if c:
                x = f(a)
            else:
                x = g(b)
            return x
        """)
    assert code.count("def __opp_") == 1
    assert code.count("is __opportune_unbound__") == 4  # one per name read: f, a, g, b


def test_module_level_arms_need_no_unbinding_and_no_binding_code() -> None:
    """Module-level arms run with the captured names as their globals, and the runtime binds
    what they assign: the compiled statement is its body, one global line and one call."""
    code = _compiled("""
        if c:
            x = f(a)
            for w in x:
                y = g(w, b)
        else:
            x = g(b)
        """)
    assert "__opportune_unbound__" not in code
    assert code.count("global x, w, y, f, a, g, b") == 1
    assert code.count("global w, y, __opp_din0, g, b") == 1
    assert code.count("__opportune_defer_if__") == 1
    assert code.count("__opportune_defer_loop__") == 1


def test_module_level_statement_nested_in_a_function_arm_is_not_module_level() -> None:
    _both("""
        def f(items):
            out = []
            for w in slow(items):
                if slow(len(w) > 1):
                    got = tool(w)
                else:
                    got = w
                out = out + [got]
            return out
        result = f(["a", "bb"])
        """, "result")


def test_an_elif_chain_does_not_compile_to_code_exponential_in_its_length() -> None:
    """Each level of a converted chain holds one copy of its arms (and names the conditions
    of the levels below it): doubling the chain at most quadruples the code. When every level
    copied the level below twice, an 8-level chain compiled to 16 MB of code."""
    def chain(n: int) -> str:
        lines = ["if c0:\n    x = 0\n"]
        lines += [f"elif c{i}:\n    x = {i}\n" for i in range(1, n)]
        return "".join(lines) + "else:\n    x = -1\n"

    small, large = (len(_compiled(chain(n))) for n in (4, 8))
    assert large < 4 * small


def test_an_elif_chain_on_pending_values_gives_plain_pythons_results() -> None:
    _both("""
        out = []
        for v in [3, 7, 5, 9, 1]:
            s = slow(v)
            if s > 6:
                kind = "high"
            elif s > 4:
                kind = "mid"
            elif s > 2:
                kind = "low"
            else:
                kind = "tiny"
            out = out + [kind]
        """, "out", "kind")
    _both("""
        y, x = 5, 0
        if slow(y) > 10:
            z = 1
        elif slow(y) > 3:
            z = y / x
        else:
            z = 2
        """, "z")


def test_a_module_level_arm_that_raises_leaves_what_it_assigned_before() -> None:
    _both("""
        x = 3
        try:
            if x > 1:
                a = tool(1)
                b = 1 / 0
        except ZeroDivisionError:
            pass
        try:
            for i in range(3):
                last = tool(i)
                c = 1 / (1 - i)
        except ZeroDivisionError:
            pass
        """, "a", "b", "i", "last", "c")


def test_an_arm_in_a_function_that_raises_leaves_what_it_assigned_before() -> None:
    _both("""
        def f(x):
            try:
                if x > 1:
                    a = tool(1)
                    b = 1 / 0
            except ZeroDivisionError:
                pass
            return a
        result = f(3)
        """, "result")


def test_an_arm_in_a_try_finally_that_raises_leaves_what_it_assigned_before() -> None:
    _both("""
        seen = []
        def f(x):
            a, b = "old a", "old b"
            try:
                if x > 1:
                    a = tool(1)
                    b = 1 / 0
            finally:
                seen.append((a, b))
        try:
            f(3)
        except ZeroDivisionError:
            pass
        f(0)
        """, "seen")


def test_a_loop_in_a_try_finally_that_raises_leaves_what_it_assigned_before() -> None:
    _both("""
        seen = []
        def f(items):
            last = None
            try:
                for i in items:
                    last = tool(i)
                    1 / i
            finally:
                seen.append(last)
        try:
            f([2, 0, 1])
        except ZeroDivisionError:
            pass
        """, "seen")
