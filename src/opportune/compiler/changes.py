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
import copy
from typing import Any

from opportune.compiler import traversal
from opportune.compiler.callsites import GUARDED

INPLACE = "__opportune_inplace__"
CHANGING = "__opportune_changing__"
OWNER = "__opportune_owner__"


def _load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def _owner_key(target: ast.Attribute | ast.Subscript) -> ast.expr | None:
    """What ``x op= v`` changes inside the object ``target`` stores into, when it can be
    passed without evaluating anything twice: the attribute's name, or a constant or a
    name as the key."""
    if isinstance(target, ast.Attribute):
        return ast.Constant(target.attr)
    if isinstance(target.slice, ast.Constant):
        return ast.Constant(target.slice.value)
    if isinstance(target.slice, ast.Name):
        return ast.Name(target.slice.id, ast.Load())
    return None


def name_owners(target: ast.expr, augmented: bool = False) -> None:
    """Make each store through ``target`` (``a.b[0] = v``, ``f().x, y = ...``) name the object
    it changes to the readers check: the object's expression ``E`` becomes
    ``(__opportune_owner__(E) if __opportune_guarded__ else E)``, evaluated once and where
    Python evaluates it (runtime/hooks.owner, runtime/readers.py). For ``E.a op= v`` and
    ``E[k] op= v`` the hook is also handed what is changed inside ``E`` (``"a"``, ``k``), whose
    old value the operator may change in place."""
    stack = [target]
    while stack:
        t = stack.pop()
        if isinstance(t, (ast.Tuple, ast.List)):
            stack.extend(t.elts)
        elif isinstance(t, ast.Starred):
            stack.append(t.value)
        elif isinstance(t, (ast.Attribute, ast.Subscript)):
            args = [traversal.copy_tree(t.value)]
            if augmented:
                key = _owner_key(t)
                if key is not None:
                    args += [key, ast.Constant(isinstance(t, ast.Attribute))]
            hook = ast.Call(_load(OWNER), args, [])
            t.value = ast.copy_location(
                ast.IfExp(_load(GUARDED), hook, t.value), t.value)


class _Changes(ast.NodeTransformer):
    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return node  # async bodies run as written (compiler/transform.py)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.target, ast.Name):
            hook = ast.Call(_load(INPLACE), [copy.deepcopy(node.value),
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
                if isinstance(owner, ast.Name):
                    owners.append(_load(owner.id))
                else:
                    owners.append(ast.Constant(None))
            if not isinstance(target, ast.Name):
                name_owners(target)
        if not owners:
            return node
        check = ast.If(_load(GUARDED), [ast.Expr(ast.Call(_load(CHANGING), owners, []))], [])
        ast.copy_location(check, node)
        return [check, node]


def rewrite(tree: ast.Module) -> None:
    """Rewrite ``tree`` in place (see the module docstring)."""
    _Changes().visit(tree)
