"""The fast tree walks give exactly what the standard library's give, on the whole corpus."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from opportune.compiler import traversal
from opportune.compiler.transform import _Rewriter, passes

PROGRAMS = sorted((Path(__file__).parent.parent / "core" / "programs").glob("p*.py"))


def _parsed(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError:
        return None


class _Standard(_Rewriter):
    """The compiler's rewrite on ``ast.NodeTransformer``'s own traversal."""

    visit = ast.NodeTransformer.visit
    generic_visit = ast.NodeTransformer.generic_visit


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_rewrite_locations_and_walk_match_the_standard_library(path: Path) -> None:
    tree, reference = _parsed(path), _parsed(path)
    if tree is None or reference is None:
        pytest.skip("a program that does not parse")
    operators = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
    assert [type(n) for n in traversal.nodes(tree)] == \
        [type(n) for n in ast.walk(tree) if not isinstance(n, operators)]
    rewritten = _Rewriter(False, str(path)).visit(tree)
    expected = _Standard(False, str(path)).visit(reference)
    assert ast.dump(rewritten) == ast.dump(expected)
    for name, apply in passes(filename=str(path)):
        if name == "callsites":
            rewritten, expected = apply(rewritten), apply(expected)
    traversal.fix_missing_locations(rewritten)
    ast.fix_missing_locations(expected)
    assert ast.dump(rewritten, include_attributes=True) == \
        ast.dump(expected, include_attributes=True)


def test_a_transformer_may_not_visit_the_nodes_it_skips() -> None:
    with pytest.raises(TypeError, match="visits Name"):
        class _Names(traversal.Transformer):
            def visit_Name(self, node: ast.Name) -> ast.AST:
                return node
