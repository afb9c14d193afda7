"""Which names of a function deferred arms may share with the program, and how each read of
them uses the object (compiler/arm_objects.py)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from opportune.compiler import arm_objects


def _fn(source: str) -> ast.FunctionDef:
    node = ast.parse(textwrap.dedent(source)).body[0]
    assert isinstance(node, ast.FunctionDef)
    return node


_LOOP = """
def f(xs):
    {bind}
    for x in xs:
        a = ask(x)
        if a == "yes":
            {change}
    {after}
"""


@pytest.mark.parametrize(("bind", "change", "after", "tracked"), [
    ("hits = []", "hits.append(x)", "return hits", {"hits"}),
    ("seen = set()", "seen.add(x)", "pass", {"seen"}),
    ("d = {}", "d[x] = a", "print(d)", {"d"}),
    ("a_, b_ = [], {}", "a_.append(x); b_[x] = 1", "pass", {"a_", "b_"}),
    ("hits = list(xs)", "hits.append(x)", "pass", set()),  # not a container it built empty
    ("hits = []", "hits.append(x)", "g = lambda: hits", set()),  # a closure reads it
    ("hits = []", "hits.append(x)", "n = len(hits) if xs else 0", set()),  # a lazy arm
    ("hits = []", "hits.append(x)", "print(locals())", set()),
    ("hits = []", "hits.append(x)", "hits += [1]", set()),  # rebound other than fresh
    ("hits = []", "n = 1", "hits.append(1)", set()),  # not changed in an if
])
def test_which_names_deferred_arms_may_change(bind: str, change: str, after: str,
                                              tracked: set[str]) -> None:
    fn = _fn(_LOOP.format(bind=bind, change=change, after=after))
    assert arm_objects.tracked_names(fn) == tracked


def test_an_if_on_names_bound_only_to_plain_values_tracks_nothing() -> None:
    """``if is_prime: found.append(n)``: the condition is never pending, so the loop keeps
    its inline code (the pure-compute probe)."""
    fn = _fn("""
        def primes(limit):
            found = []
            for n in range(2, limit):
                is_prime = True
                for p in found:
                    if n % p == 0:
                        is_prime = False
                if is_prime:
                    found.append(n)
            return found
    """)
    assert arm_objects.tracked_names(fn) == frozenset()
    assert "is_prime" in getattr(fn, arm_objects.PLAIN)


@pytest.mark.parametrize(("use", "how"), [
    ("hits.append(1)", None),
    ("hits[0]", None),
    ("1 in hits", None),
    ("f'{hits}'", None),
    ("[h for h in hits]", None),
    ("len(hits)", "len"),
    ("keep(hits)", "keep"),
    ("sum(h for h in hits)", "sum"),
    ("(h for h in hits)", True),
    ("alias = hits", True),
    ("hits.items()", True),
    ("hits.append", True),
    ("hits or []", True),
])
def test_how_each_read_uses_the_object(use: str, how: object) -> None:
    fn = _fn(f"def f():\n    hits = []\n    {use}\n")
    arm_objects.mark_reads(fn, frozenset({"hits"}))
    (read,) = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == "hits"
               and isinstance(n.ctx, ast.Load)]
    assert getattr(read, arm_objects.MARK) == how


_GROUPS = """
def f(xs):
    groups = {{}}
    for x in xs:
        a = ask(x)
        if a:
            groups.setdefault(a, []).append(x)
    {after}
"""


@pytest.mark.parametrize(("after", "nested"), [
    ("print(groups, len(groups), 1 in groups)", True),  # looks at the dict as a whole
    ("for k in sorted(groups): print(k)", True),  # its keys
    ("return groups", True),  # at the top: hands it on, after waiting
    ("first = groups.get(1)", True),
    ("for k in groups: print(groups[k])", False),  # a group read inside a loop's body
    ("if groups: keep = dict(groups)", False),
])
def test_which_dicts_arms_may_fill_with_groups(after: str, nested: bool) -> None:
    fn = _fn(_GROUPS.format(after=after))
    names = arm_objects.tracked_names(fn)
    assert names == {"groups"}
    arm_objects.mark_reads(fn, names)
    assert getattr(fn, arm_objects.NESTED) == ({"groups"} if nested else set())


def test_a_read_of_one_group_at_the_top_hands_the_dict_on() -> None:
    fn = _fn(_GROUPS.format(after="first = groups.get(1)"))
    arm_objects.mark_reads(fn, arm_objects.tracked_names(fn))
    marks = [getattr(n, arm_objects.MARK, "unmarked") for n in ast.walk(fn)
             if isinstance(n, ast.Name) and n.id == "groups" and isinstance(n.ctx, ast.Load)]
    assert sorted(marks, key=repr) == [None, True]  # the chain only looks; get hands on


def test_module_level_names_are_tracked_unless_other_code_may_read_them() -> None:
    loop = "hits = []\nfor x in xs:\n    if ask(x):\n        hits.append(x)\n"
    assert arm_objects.module_tracked_names(ast.parse(loop)) == {"hits"}
    for other in ("def f():\n    return hits\n", "print(globals())\n",
                  "import sys\nsys.modules[__name__]\n", "from os import *\n",
                  "class C:\n    n = len(hits)\n", "import __main__\n"):
        assert arm_objects.module_tracked_names(ast.parse(loop + other)) == set(), other
