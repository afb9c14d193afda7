"""Walking syntax trees at the speed compiling a program on every run needs.

``ast.NodeTransformer``, ``ast.walk`` and ``ast.fix_missing_locations`` go through
``ast.iter_fields``/``iter_child_nodes``, two generators per node, and look up the visitor
method by name at every node. The compiler walks every tree several times (the rewrite, its
analyses, the call-site pass, the locations), so that cost is most of the time a program takes
to compile. The versions here do the same work with plain loops, and skip the nodes that no
visitor of the compiler rewrites (names, constants, operators and contexts). They keep the
order and results of the originals, so the passes read exactly as with the standard ones.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import Any

_AST = ast.AST  # a global read, not an attribute lookup, in the loops below

# Nodes without children that can be rewritten: no visitor of the compiler has a method for
# them, and their fields hold no statements or expressions (a Name's only child is its ctx).
_LEAVES: frozenset[type] = frozenset({
    ast.Name, ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal,
    ast.alias, *(t for base in (ast.expr_context, ast.boolop, ast.operator, ast.unaryop,
                                ast.cmpop) for t in base.__subclasses__()),
})


# Nodes without a location or children: contexts and operators.
_UNLOCATED: frozenset[type] = frozenset(
    t for base in (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
    for t in base.__subclasses__())


# Fields that never hold a node worth visiting: names, numbers and flags, and the contexts and
# operators (``ctx``, ``op``, ``ops``), which no pass of the compiler looks at as nodes. (The
# ``name`` of a 3.12 ``type X = ...`` statement is a Name node: it is walked.)
_NOT_CHILDREN = frozenset({"name", "id", "arg", "attr", "module", "level", "kind", "conversion",
                           "is_async", "simple", "type_comment", "tag", "rest", "kwd_attrs",
                           "lineno", "ctx", "op", "ops"})


def _own_child_fields(kind: type) -> tuple[str, ...]:
    return tuple(
        f for f in kind._fields  # type: ignore[attr-defined]
        if (f not in _NOT_CHILDREN or f == "name" and kind.__name__ == "TypeAlias")
        and not (f == "value" and kind in (ast.Constant, ast.MatchSingleton)))


class _FieldTable(dict[type, tuple[str, ...]]):
    """Child fields per node type, filled for every node type of ``ast`` when the compiler is
    imported (no program is needed for that); a type made later is added on first use.
    Looked up with ``[]``: leaves have no child fields, so an empty answer is an answer."""

    def __missing__(self, kind: type) -> tuple[str, ...]:
        fields = self[kind] = _own_child_fields(kind)
        return fields


def _node_types() -> list[type]:
    out: list[type] = []
    stack = [ast.AST]
    while stack:
        kind = stack.pop()
        out.append(kind)
        stack.extend(kind.__subclasses__())
    return out


_CHILD_FIELDS = _FieldTable((kind, _own_child_fields(kind)) for kind in _node_types())


# ``child_fields(kind)``: the fields of node type ``kind`` that may hold a node worth visiting
# (the table's own lookup, not a function around it: the walks call it for every node)
child_fields: Callable[[type], tuple[str, ...]] = _CHILD_FIELDS.__getitem__


class Transformer(ast.NodeTransformer):
    """``ast.NodeTransformer`` with the same results, faster: visitor methods are looked up
    once per node type, and leaf nodes are not visited (a subclass may not define a visitor
    for one: checked when the subclass is created)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for leaf in _LEAVES:
            if f"visit_{leaf.__name__}" in dir(cls) and leaf is not ast.Constant:
                raise TypeError(f"{cls.__name__} visits {leaf.__name__}, which Transformer "
                                "skips; derive it from ast.NodeTransformer instead")
        for name in ("visit_Num", "visit_Str", "visit_Bytes", "visit_NameConstant",
                     "visit_Ellipsis"):
            if name in dir(cls):
                raise TypeError(f"{cls.__name__} defines {name}: Transformer skips constants")

    def __init__(self) -> None:
        self._methods: dict[type, Any] = {}

    def visit(self, node: ast.AST) -> Any:
        kind = type(node)
        method: Any = self._methods.get(kind)
        if method is None:
            method = getattr(self, "visit_" + kind.__name__, self.generic_visit)
            self._methods[kind] = method
        return method(node)

    def generic_visit(self, node: ast.AST) -> ast.AST:
        leaves = _LEAVES
        kind = type(node)
        # only the fields that can hold a node worth visiting (child_fields): the others
        # hold names, numbers, or contexts and operators, all skipped below anyway
        for field in _CHILD_FIELDS[kind]:
            old = getattr(node, field, None)
            if type(old) is list:
                new_values: list[Any] | None = None
                for i, value in enumerate(old):
                    if not isinstance(value, _AST) or type(value) in leaves:
                        if new_values is not None:
                            new_values.append(value)
                        continue
                    new = self.visit(value)
                    if new is value and new_values is None:
                        continue
                    if new_values is None:
                        new_values = old[:i]
                    if new is None:
                        continue
                    if isinstance(new, ast.AST):
                        new_values.append(new)
                    else:
                        new_values.extend(new)
                if new_values is not None:
                    old[:] = new_values
            elif isinstance(old, _AST) and type(old) not in leaves:
                new_node = self.visit(old)
                if new_node is None:
                    delattr(node, field)
                elif new_node is not old:
                    setattr(node, field, new_node)
        return node


def copy_tree(tree: Any) -> Any:
    """``copy.deepcopy`` of a tree (or list of them), without ``copy``'s generic machinery:
    nodes are copied with every attribute (locations and the marks passes leave on them),
    a node met twice is copied once, and values that are not nodes (names, constants, the
    context and operator singletons) are shared, as they are immutable."""
    memo: dict[int, Any] = {}

    def one(value: Any) -> Any:
        if type(value) is list:
            return [one(v) for v in value]
        if not isinstance(value, ast.AST) or type(value) in _UNLOCATED:
            return value
        known = memo.get(id(value))
        if known is not None:
            return known
        new = value.__class__.__new__(value.__class__)
        memo[id(value)] = new
        for key, item in value.__dict__.items():
            setattr(new, key, one(item) if type(item) is list or isinstance(item, ast.AST)
                    else item)
        return new

    return one(tree)


def children(node: ast.AST) -> list[ast.AST]:
    """The direct children of ``node``, as ``ast.iter_child_nodes`` yields them, without
    contexts and operators."""
    out: list[ast.AST] = []
    append = out.append
    kind = type(node)
    # plain loops, not ``extend`` of a generator: most lists hold a node or two, and a
    # generator per list costs more than the loop
    for field in _CHILD_FIELDS[kind]:
        value = getattr(node, field, None)
        if type(value) is list:
            for v in value:
                if isinstance(v, _AST):
                    append(v)
        elif isinstance(value, _AST):
            append(value)
    return out


def nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of ``tree`` but contexts and operators, in the order ``ast.walk`` yields
    them."""
    out = [tree]
    append = out.append
    fields_of = child_fields
    for node in out:  # the list grows as it is walked: breadth first, as ``ast.walk``
        kind = type(node)
        for field in fields_of(kind):
            value = getattr(node, field, None)
            if type(value) is list:
                for v in value:
                    if isinstance(v, _AST):
                        append(v)
            elif isinstance(value, _AST):
                append(value)
    return out


def nodes_within(roots: Sequence[ast.AST], stop: tuple[type, ...]) -> list[ast.AST]:
    """Every node of the trees ``roots`` but contexts and operators, without descending into
    a node of a type in ``stop`` (it is listed itself): the walk of one scope that the
    analyses make, in one loop instead of a call of :func:`children` per node. The order is
    breadth first; the analyses that use it collect sets and counts."""
    out: list[ast.AST] = list(roots)
    append = out.append
    fields_of = child_fields
    for node in out:
        if isinstance(node, stop):
            continue
        kind = type(node)
        for field in fields_of(kind):
            value = getattr(node, field, None)
            if type(value) is list:
                for v in value:
                    if isinstance(v, _AST):
                        append(v)
            elif isinstance(value, _AST):
                append(value)
    return out


def fix_missing_locations(tree: ast.AST) -> ast.AST:
    """``ast.fix_missing_locations``: each node without a location gets its parent's."""
    stack: list[tuple[ast.AST, int, int, int | None, int | None]] = [(tree, 1, 0, 1, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, lineno, col, end_lineno, end_col = pop()
        if node._attributes:  # the located kinds have all four; the others none
            known = node.__dict__
            if "lineno" in known:
                lineno = known["lineno"]
            else:
                node.lineno = lineno  # type: ignore[attr-defined]
            if known.get("end_lineno") is None:
                node.end_lineno = end_lineno  # type: ignore[attr-defined]
            else:
                end_lineno = known["end_lineno"]
            if "col_offset" in known:
                col = known["col_offset"]
            else:
                node.col_offset = col  # type: ignore[attr-defined]
            if known.get("end_col_offset") is None:
                node.end_col_offset = end_col  # type: ignore[attr-defined]
            else:
                end_col = known["end_col_offset"]
        kind = type(node)
        fields = _CHILD_FIELDS[kind]
        # the stack takes the children last first, so they are fixed in the original's order
        for field in reversed(fields):
            value = getattr(node, field, None)
            if type(value) is list:
                for v in reversed(value):
                    if isinstance(v, ast.AST):
                        push((v, lineno, col, end_lineno, end_col))
            elif isinstance(value, ast.AST):
                push((value, lineno, col, end_lineno, end_col))
    return tree
