"""How compiler/continues.py gives the rest of a loop body to an ``if`` whose arm ends with
``continue``, where it does not, and when the compiler keeps the rewrite: tables of sources,
each with the function the rewrite makes (or None: left as written)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from opportune.compiler import continues, deferral, transform


def _rewritten(source: str) -> str | None:
    fn = ast.parse(textwrap.dedent(source)).body[0]
    assert isinstance(fn, ast.FunctionDef)
    return ast.unparse(fn) if continues.rewrite(fn, lambda s: True) else None


def _same(source: str) -> str:
    return ast.unparse(ast.parse(textwrap.dedent(source)))


REWRITTEN = {
    "guard": ("""
        def f(qs):
            for q in qs:
                kind = classify(q)
                if kind == "other":
                    continue
                print(q, kind)
                hits.append(q)
    """, """
        def f(qs):
            for q in qs:
                kind = classify(q)
                if kind == "other":
                    pass
                else:
                    print(q, kind)
                    hits.append(q)
    """),
    "not_and_arm_before": ("""
        def f(qs):
            for q in qs:
                if not ok(q):
                    print("no", q)
                    continue
                hits.append(q)
    """, """
        def f(qs):
            for q in qs:
                if not ok(q):
                    print("no", q)
                else:
                    hits.append(q)
    """),
    "guards_in_a_row": ("""
        def f(qs):
            for q in qs:
                if a(q):
                    continue
                x = b(q)
                if x:
                    continue
                hits.append(x)
    """, """
        def f(qs):
            for q in qs:
                if a(q):
                    pass
                else:
                    x = b(q)
                    if x:
                        pass
                    else:
                        hits.append(x)
    """),
    "elif": ("""
        def f(qs):
            for q in qs:
                k = a(q)
                if k == 1:
                    continue
                elif k == 2:
                    print(k)
                    continue
                elif k == 3:
                    print("three")
                hits.append(q)
    """, """
        def f(qs):
            for q in qs:
                k = a(q)
                if k == 1:
                    pass
                elif k == 2:
                    print(k)
                else:
                    if k == 3:
                        print("three")
                    hits.append(q)
    """),
    "else_arm_continues": ("""
        def f(qs):
            while qs:
                q = qs.pop()
                if a(q):
                    print(q)
                else:
                    continue
                hits.append(q)
            else:
                print("done")
    """, """
        def f(qs):
            while qs:
                q = qs.pop()
                if a(q):
                    print(q)
                    hits.append(q)
                else:
                    pass
            else:
                print("done")
    """),
    "guard_in_the_last_if": ("""
        def f(qs):
            for q in qs:
                if q:
                    if a(q):
                        continue
                    hits.append(q)
    """, """
        def f(qs):
            for q in qs:
                if q:
                    if a(q):
                        pass
                    else:
                        hits.append(q)
    """),
    "inner_loop_rewritten_on_its_own": ("""
        def f(qs):
            for q in qs:
                for w in q:
                    if a(w):
                        continue
                    hits.append(w)
                if q:
                    break
    """, """
        def f(qs):
            for q in qs:
                for w in q:
                    if a(w):
                        pass
                    else:
                        hits.append(w)
                if q:
                    break
    """),
}

UNCHANGED = {
    "break": """
        def f(qs):
            for q in qs:
                if a(q):
                    break
                hits.append(q)
    """,
    "inside_try": """
        def f(qs):
            for q in qs:
                try:
                    if a(q):
                        continue
                    hits.append(q)
                finally:
                    print(q)
    """,
    "inside_with": """
        def f(qs):
            for q in qs:
                with m():
                    if a(q):
                        continue
                    hits.append(q)
    """,
    "both_arms_continue": """
        def f(qs):
            for q in qs:
                if a(q):
                    continue
                else:
                    continue
                hits.append(q)
    """,
    "not_at_the_tail": """
        def f(qs):
            for q in qs:
                if q:
                    if a(q):
                        continue
                    hits.append(q)
                print(q)
    """,
    "continue_not_last_in_arm": """
        def f(qs):
            for q in qs:
                if a(q):
                    continue
                    print("never")
                hits.append(q)
    """,
    "not_in_a_loop_of_its_own": """
        def f(qs):
            for q in qs:
                def g(x):
                    return x
                hits.append(g(q))
    """,
}


@pytest.mark.parametrize("name", REWRITTEN)
def test_rewritten(name: str) -> None:
    source, expected = REWRITTEN[name]
    assert _rewritten(source) == _same(expected)


@pytest.mark.parametrize("name", UNCHANGED)
def test_unchanged(name: str) -> None:
    assert _rewritten(UNCHANGED[name]) is None


def test_revert_puts_the_body_back_as_written() -> None:
    fn = ast.parse(textwrap.dedent(REWRITTEN["guards_in_a_row"][0])).body[0]
    assert isinstance(fn, ast.FunctionDef)
    before = ast.unparse(fn)
    done = continues.rewrite(fn, lambda s: True)
    assert ast.unparse(fn) != before
    continues.revert(done)
    assert ast.unparse(fn) == before


def _compiled(source: str) -> str:
    return ast.unparse(transform.transform(ast.parse(textwrap.dedent(source))))


def test_a_guard_on_a_call_is_deferred() -> None:
    text = _compiled("""
    def f(qs):
        found = []
        for q in qs:
            kind = classify(q)
            if kind == "other":
                continue
            print(q, kind)
            found.append(q)
        return found
    """)
    assert deferral.DEFER_IF in text
    assert "continue" not in text


@pytest.mark.parametrize("source", [
    # the rest breaks out of the loop: the if would not be deferred
    """
    def f(qs):
        found = []
        for q in qs:
            if ask(q) == "no":
                continue
            if q == "end":
                break
            found.append(q)
    """,
    # a loop counter is never pending: the guard keeps its inline code
    """
    def f(n):
        found = []
        for i in range(n):
            if i % 3 == 0:
                continue
            found.append(ask(i))
    """,
    # call-free arms that only bind names: nothing to defer
    """
    def f(qs):
        total = 0
        for q in qs:
            if not q:
                continue
            total += q
        return total
    """,
])
def test_a_guard_that_would_not_be_deferred_is_left_as_written(source: str) -> None:
    assert "continue" in _compiled(source)


def test_only_the_guard_that_is_deferred_is_kept() -> None:
    """The first guard tests a loop counter (decided at once): it stays; the second, on a
    call, gives its rest to its ``if``."""
    text = _compiled("""
    def f(n):
        found = []
        for i in range(n):
            if i % 2:
                continue
            if ask(i) == "no":
                continue
            found.append(i)
    """)
    assert text.count("continue") == 1
    assert deferral.DEFER_IF in text


def test_a_guard_at_the_top_level_of_the_program_is_deferred() -> None:
    tree = ast.parse(textwrap.dedent("""
    hits = []
    for q in qs:
        if classify(q) == "other":
            continue
        hits.append(q)
    print(hits)
    """))
    text = ast.unparse(transform.transform(tree, program=True))
    assert deferral.DEFER_IF in text
    assert "continue" not in text


def test_a_guard_in_an_imported_module_is_left_as_written() -> None:
    """Its names are read by others once its code has run: nothing is tracked there."""
    tree = ast.parse(textwrap.dedent("""
    hits = []
    for q in qs:
        if classify(q) == "other":
            continue
        hits.append(q)
    """))
    assert "continue" in ast.unparse(transform.transform(tree))


def test_a_rewrite_put_back_leaves_no_tracked_names_behind() -> None:
    """``hits`` is tracked only in the rewritten body (its ``append`` stands in the ``if``);
    once the rewrite is put back (the rest breaks), its reads are plain reads again, even
    where another function's arms make the module wrap tracked reads."""
    text = _compiled('''
    def f(qs):
        hits = []
        for q in qs:
            if ask(q) == "no":
                continue
            if q == "end":
                break
            hits.append(q)
        return hits

    def g(qs):
        found = []
        for q in qs:
            if ask(q):
                found.append(q)
        return found
    ''')
    assert "continue" in text
    assert "__opportune_arm_object__(found" in text
    assert "__opportune_arm_object__(hits" not in text
