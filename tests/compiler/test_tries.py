"""Which ``try`` statements compiler/tries.py turns into branches on a call's outcome, and
which it leaves as written: one table, each case a function's source."""

from __future__ import annotations

import ast
import itertools
import textwrap

import pytest

from opportune.compiler import transform, tries

TAKEN = {
    "append_or_none": """
        def f(qs):
            out = []
            for q in qs:
                try:
                    out.append(ask(q))
                except ValueError:
                    out.append(None)
            return out
    """,
    "name_then_as_e": """
        def f(qs):
            results = []
            for q in qs:
                try:
                    r = ask(q)
                except Exception as e:
                    r = f"error: {e}"
                results.append(r)
            return results
    """,
    "module_attribute_class": """
        def f(qs):
            for q in qs:
                try:
                    data = json.loads(ask(q))
                except json.JSONDecodeError:
                    data = {}
    """,
    "constant_key_store_and_else": """
        def f(q):
            found = {}
            try:
                found["a"] = ask(q)
            except (KeyError, ValueError):
                found["a"] = None
            else:
                print("ok")
            return found
    """,
}

TAKEN["call_then_pass"] = """
    def f(qs):
        for q in qs:
            try:
                notify(q)
            except ValueError:
                pass
"""

KEPT = {
    "two_handlers": """
        def f(q):
            try:
                r = ask(q)
            except ValueError:
                r = 1
            except KeyError:
                r = 2
    """,
    "finally": """
        def f(q):
            try:
                r = ask(q)
            except ValueError:
                r = 1
            finally:
                print("done")
    """,
    "handler_returns": """
        def f(q):
            try:
                r = ask(q)
            except ValueError:
                return None
    """,
    "handler_reraises": """
        def f(q):
            try:
                r = ask(q)
            except ValueError as e:
                raise RuntimeError("no") from e
    """,
    "handler_looks_at_sys": """
        def f(q):
            try:
                r = ask(q)
            except ValueError:
                r = sys.exc_info()
    """,
    "handler_calls_the_program": """
        def f(q):
            try:
                r = ask(q)
            except ValueError:
                r = recover(q)
    """,
    "as_name_used_after": """
        def f(q):
            try:
                r = ask(q)
            except ValueError as e:
                r = str(e)
            print(e)
    """,
    "attribute_of_a_non_module": """
        def f(q):
            try:
                r = ask(q)
            except self.Error:
                r = None
    """,
    "rest_may_raise": """
        def f(q):
            try:
                r = ask(q)
                n = len(r)
            except ValueError:
                n = 0
    """,
    "inside_a_with": """
        def f(q):
            with open("x") as fh:
                try:
                    r = ask(q)
                except ValueError:
                    r = None
    """,
    "no_call": """
        def f(q):
            try:
                r = q
            except ValueError:
                r = None
    """,
    "locals_used": """
        def f(q):
            try:
                r = ask(q)
            except ValueError:
                r = None
            return locals()
    """,
}


def _rewritten(source: str) -> int:
    tree = ast.parse(textwrap.dedent(source))
    fn = tree.body[0]
    assert isinstance(fn, ast.FunctionDef)
    return len(tries.desugar(fn, itertools.count(), frozenset({"json"})))


@pytest.mark.parametrize("name", sorted(TAKEN))
def test_taken(name: str) -> None:
    assert _rewritten(TAKEN[name]) == 1


@pytest.mark.parametrize("name", sorted(KEPT))
def test_kept(name: str) -> None:
    assert _rewritten(KEPT[name]) == 0


def test_a_try_whose_branch_would_not_move_is_put_back() -> None:
    """The list is a parameter, so the handler's arm could not be deferred on it (it is not
    the function's own): the compiled function keeps the ``try`` as written, whose wait
    --explain names."""
    source = textwrap.dedent("""
        def f(qs, out):
            for q in qs:
                try:
                    out.append(ask(q))
                except ValueError:
                    out.append(None)
            return out
    """)
    fn = ast.parse(source).body[0]
    assert isinstance(fn, ast.FunctionDef)
    assert len(tries.desugar(fn, itertools.count())) == 1  # the shape qualifies
    text = ast.unparse(transform.transform(ast.parse(source)))
    assert tries.TRY_OUTCOME not in text
    assert "except ValueError" in text
    taken = transform.transform(ast.parse(textwrap.dedent(TAKEN["append_or_none"])))
    assert tries.TRY_OUTCOME in ast.unparse(taken)


def test_a_try_whose_arms_do_nothing_needs_no_branch() -> None:
    """``try: notify(q) except ValueError: pass``: the outcome alone holds a caught failure
    (or fails with one the clause does not catch); no ``if`` waits for it."""
    text = ast.unparse(transform.transform(ast.parse(textwrap.dedent(TAKEN["call_then_pass"]))))
    assert tries.TRY_OUTCOME in text
    assert "is not None" not in text and "__opportune_is__" not in text
