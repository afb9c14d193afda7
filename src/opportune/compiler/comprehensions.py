"""Nested comprehensions whose inner iterable is a call: every call first, then the items.

``[new for state in frontier for new in expand(state)]`` makes ``expand(s1)``, takes its items,
then makes ``expand(s2)``. When ``expand`` runs concurrently (an external, or a function of the
program's that may, see :mod:`opportune.runtime.spawn`), taking the first call's items waits for
it before the second call is made, so the calls form a chain. When taking the items runs no code
(the element and the inner conditions make no calls, and the targets bind plain names: a store
``for o.x in expand(s)`` changes what the next call may read), nothing observable happens
between the calls, and the comprehension may make them all first:

    [new for (state, items) in [(state, expand(state)) for state in frontier]
         for new in items]

The calls are made in the same order, with the same arguments, and the result is the same; only
the waiting moves after the last call.
"""

from __future__ import annotations

import ast

from opportune.compiler import traversal
from opportune.compiler.branches import makes_no_calls

_ITEMS = "__opp_items"


def _load_target(target: ast.expr) -> ast.expr | None:
    """The target read back as an expression; None unless it is made of plain names."""
    if isinstance(target, ast.Name):
        return ast.Name(target.id, ast.Load())
    if isinstance(target, (ast.Tuple, ast.List)):
        elts = [_load_target(e) for e in target.elts]
        if any(e is None for e in elts):
            return None
        return ast.Tuple(elts, ast.Load())  # type: ignore[arg-type]
    return None


def calls_first(node: ast.ListComp | ast.SetComp | ast.DictComp) -> ast.expr:
    """The rewritten comprehension, or ``node`` itself when the rewrite does not apply (see the
    module docstring): two ``for`` clauses, no ``async``, the inner iterable makes a call, the
    element and the inner conditions make none, and both targets bind plain names."""
    if len(node.generators) != 2:
        return node
    outer, inner = node.generators
    parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
    if outer.is_async or inner.is_async or makes_no_calls(inner.iter) \
            or not all(makes_no_calls(p) for p in [*parts, *inner.ifs]):
        return node
    if any(isinstance(n, ast.NamedExpr) for n in traversal.nodes(node)):
        return node  # := binds in the enclosing scope, in the order Python evaluates it
    target = _load_target(outer.target)
    if target is None or _load_target(inner.target) is None:
        return node
    pairs = ast.ListComp(
        elt=ast.Tuple([target, inner.iter], ast.Load()),
        generators=[ast.comprehension(traversal.copy_tree(outer.target), outer.iter, outer.ifs, 0)])
    new_outer = ast.comprehension(
        ast.Tuple([traversal.copy_tree(outer.target), ast.Name(_ITEMS, ast.Store())], ast.Store()),
        pairs, [], 0)
    new_inner = ast.comprehension(inner.target, ast.Name(_ITEMS, ast.Load()), inner.ifs, 0)
    node.generators = [new_outer, new_inner]
    return ast.copy_location(node, node)
