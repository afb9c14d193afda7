"""In-place changes that no other hook sees: ``x op= v`` on a name, ``del x[k]``, ``del x.a``.

``lst += more`` changes the list ``lst`` holds, and ``del d[k]`` the dict, without a call or a
store the rest of the compiler rewrites. The runtime must see them for two rules: inside a
``try`` or ``with`` body a change waits for the body's calls (``Runtime.settle_for_effect``),
and a change to an object that code running concurrently still reads waits for that code
(runtime/readers.py). Both matter only while ``__opportune_guarded__`` is set, so the rewrite
costs one test of a builtin otherwise::

    x += v        ->  x += (__opportune_inplace__(v, x) if __opportune_guarded__ else v)
    del a[i], b.c ->  if __opportune_guarded__: __opportune_changing__(a); __opportune_changing__(None)
                      del a[i], b.c

The value is evaluated after ``x`` is read, exactly as Python does; ``x`` is passed only when it
is a plain name (reading it again has no effect).
"""

from __future__ import annotations

import ast
from typing import Any

from opportune.compiler.callsites import GUARDED
from opportune.compiler.traversal import Transformer, copy_tree

INPLACE = "__opportune_inplace__"
CHANGING = "__opportune_changing__"


def _load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


class _Changes(Transformer):
    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return node  # async bodies run as written (compiler/transform.py)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.target, ast.Name):
            hook = ast.Call(_load(INPLACE), [copy_tree(node.value),
                                             _load(node.target.id)], [])
            node.value = ast.IfExp(_load(GUARDED), hook, node.value)
            ast.copy_location(node.value, node)
        return node

    def visit_Delete(self, node: ast.Delete) -> Any:
        self.generic_visit(node)
        owners: list[ast.expr] = []
        for target in node.targets:
            if isinstance(target, (ast.Subscript, ast.Attribute)):
                owner = target.value
                owners.append(_load(owner.id) if isinstance(owner, ast.Name)
                              else ast.Constant(None))
        if not owners:
            return node
        check = ast.If(_load(GUARDED), [ast.Expr(ast.Call(_load(CHANGING), owners, []))], [])
        ast.copy_location(check, node)
        return [check, node]


def rewrite(tree: ast.Module) -> None:
    """Rewrite ``tree`` in place (see the module docstring)."""
    _Changes().visit(tree)
