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

TAKEN["two_handlers"] = """
    def f(q):
        try:
            r = ask(q)
        except ValueError:
            r = 1
        except KeyError as e:
            r = str(e)
"""

KEPT = {
    "a_bare_clause_after_another": """
        def f(q):
            try:
                r = ask(q)
            except ValueError:
                r = 1
            except:
                r = 2
    """,
    "a_second_clause_that_leaves": """
        def f(qs):
            for q in qs:
                try:
                    r = ask(q)
                except ValueError:
                    r = 1
                except KeyError:
                    break
    """,
    "a_second_clause_as_name_read_after": """
        def f(q):
            try:
                r = ask(q)
            except ValueError:
                r = 1
            except KeyError as e:
                r = 2
            return e
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


# The program's own module: top-level code, as a script or a code action writes it. Whether
# the statement is kept also depends on whether its branch moves (transform.program_module).
MODULE_TAKEN = {
    "append_or_none": """
        out = []
        for q in qs:
            try:
                out.append(ask(q))
            except ValueError:
                out.append(None)
        print(out)
    """,
    "name_then_as_e": """
        results = []
        for q in qs:
            try:
                r = ask(q)
            except Exception as e:
                r = f"error: {e}"
            results.append(r)
    """,
    "constant_key_store_in_an_if_arm": """
        found = {}
        if qs:
            try:
                found["a"] = ask(qs[0])
            except ValueError:
                found["a"] = None
    """,
    "an_external_defined_beside_it": """
        @opportune.external
        def ask(q):
            return q
        out = []
        for q in qs:
            try:
                out.append(ask(q))
            except ValueError:
                out.append(None)
    """,
}

MODULE_KEPT = {
    "a_function_of_the_module_called": """
        def ask(q):
            return q
        out = []
        for q in qs:
            try:
                out.append(ask(q))
            except ValueError:
                out.append(None)
    """,
    "globals_seen": """
        out = []
        for q in qs:
            try:
                out.append(ask(q))
            except ValueError:
                out.append(None)
        print(globals())
    """,
    "dir_lists_the_names": """
        try:
            z = ask(q)
        except ValueError:
            pass
        print("z" in dir())
    """,
    "star_import": """
        from tools import *
        out = []
        for q in qs:
            try:
                out.append(ask(q))
            except ValueError:
                out.append(None)
    """,
    "list_a_function_reads": """
        out = []
        def count():
            return len(out)
        for q in qs:
            try:
                out.append(ask(q))
            except ValueError:
                out.append(None)
    """,
    "as_name_read_after": """
        for q in qs:
            try:
                r = ask(q)
            except ValueError as e:
                r = None
        print(e)
    """,
    "inside_a_with": """
        out = []
        with open("x") as fh:
            try:
                out.append(ask(q))
            except ValueError:
                out.append(None)
    """,
    "handler_breaks": """
        out = []
        for q in qs:
            try:
                out.append(ask(q))
            except ValueError:
                break
    """,
}


def _module_rewritten(source: str) -> str:
    tree = ast.parse(textwrap.dedent(source))
    transform.program_module(tree)
    return ast.unparse(tree)


@pytest.mark.parametrize("name", sorted(MODULE_TAKEN))
def test_module_taken(name: str) -> None:
    text = _module_rewritten(MODULE_TAKEN[name])
    assert tries.TRY_OUTCOME in text
    # the helper names are removed from the module's namespace after the branch
    assert "__opportune_forget__(__opportune_globals__()" in text


@pytest.mark.parametrize("name", sorted(MODULE_KEPT))
def test_module_kept(name: str) -> None:
    assert tries.TRY_OUTCOME not in _module_rewritten(MODULE_KEPT[name])


def test_an_imported_module_keeps_its_try_statements() -> None:
    """Only the program's own module: other modules read an imported one's names once its
    code has run, so its arms are never deferred on its objects."""
    source = textwrap.dedent(MODULE_TAKEN["append_or_none"])
    assert tries.TRY_OUTCOME not in ast.unparse(transform.transform(ast.parse(source)))
    program = transform.transform(ast.parse(source), program=True)
    assert tries.TRY_OUTCOME in ast.unparse(program)


def test_a_stage_is_never_cut_inside_the_rewritten_statements(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first call-making statement of a staged program is a module-level ``try``: the cut
    comes after the whole group it became, not between the body's mark and the body."""
    from opportune.compiler import stages
    from opportune.compiler.modules import compile_staged

    monkeypatch.setenv("OPPORTUNE_STAGE_LINES", "10")
    filler = "\n".join(f"n{i} = {i}" for i in range(20))
    source = f"try:\n    first = ask('q')\nexcept ValueError as e:\n    first = str(e)\n{filler}\n"
    _, group = compile_staged(source, "<staged>")
    assert group is not None
    try:
        (token,) = group.tokens
        assert stages._registry[token].body[0].lineno == 5  # ``n0 = 0``
    finally:
        group.close()


def test_several_clauses_branch_on_the_clause_number() -> None:
    """Each handler becomes an arm of a chain on the number of the clause that catches, in
    the order the clauses stand; the outcome holds what any of them catches."""
    source = textwrap.dedent("""
        def f(qs):
            out = []
            for q in qs:
                try:
                    out.append(ask(q))
                except KeyError as e:
                    out.append(str(e))
                except (TypeError, ValueError):
                    out.append(None)
            return out
    """)
    fn = ast.parse(source).body[0]
    assert isinstance(fn, ast.FunctionDef)
    (r,) = tries.desugar(fn, itertools.count())
    text = ast.unparse(fn)
    assert "lambda: (KeyError, TypeError, ValueError)" in text
    assert "(lambda: KeyError, lambda: (TypeError, ValueError))" in text
    assert r.branch is not None and ast.unparse(r.branch.test) == "__opp_tc0 == 1"
    second = r.branch.orelse[0]
    assert isinstance(second, ast.If) and ast.unparse(second.test) == "__opp_tc0 == 2"
    compiled = ast.unparse(transform.transform(ast.parse(source)))
    assert tries.TRY_CLAUSE in compiled and "except KeyError" in compiled
