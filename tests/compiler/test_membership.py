"""How ``in`` and ``not in`` are compiled (compiler/transform.py, ``_membership``): through the
hook that answers a pending value while an operand is pending (runtime/hooks.contains), with
the interpreter's own ``in`` inline where the operands show nothing pending can be involved, so
``k in d`` in a loop pays two type checks, not a call."""

from __future__ import annotations

import ast

import pytest

from opportune.compiler.transform import transform
from opportune.runtime import hooks


def _compiled(source: str) -> str:
    return ast.unparse(transform(ast.parse(source), filename="<membership>"))


def test_names_on_both_sides_are_tested_inline_left_first() -> None:
    code = _compiled("def f(k, d):\n    return k in d\n")
    assert "k in d if __opportune_type__(k) is not __opportune_pending__ " \
           "and (__opportune_type__(d) in __opportune_in_plain__ or not __opportune_live__) " \
           "else __opportune_in__(k, d, False)" in code


def test_a_loop_counter_or_a_constant_on_the_left_needs_no_test() -> None:
    code = _compiled(
        "def f(d, text):\n"
        "    for i in range(9):\n"
        "        if i in d and 'x' not in text:\n"
        "            pass\n")
    assert "i in d if __opportune_type__(d) in __opportune_in_plain__ " \
           "or not __opportune_live__ else __opportune_in__(i, d, False)" in code
    assert "'x' not in text if __opportune_type__(text) in __opportune_in_plain__ " \
           "or not __opportune_live__ else __opportune_in__('x', text, True)" in code


def test_a_literal_of_constants_on_the_right_tests_only_the_item() -> None:
    code = _compiled("def f(a):\n    return a in ('yes', 'no')\n")
    assert "a in ('yes', 'no') if __opportune_type__(a) is not __opportune_pending__ " \
           "else __opportune_in__(a, ('yes', 'no'), False)" in code
    assert "1 in 'abc'" in _compiled("def f():\n    return 1 in 'abc'\n")


def test_an_operand_that_must_be_evaluated_once_goes_through_the_hook() -> None:
    code = _compiled("def f(ask, q):\n    return 'yes' in ask(q)\n")
    assert "__opportune_in__('yes', __opportune_call__(ask, q), False)" in code


def test_a_chain_makes_each_searched_item_real() -> None:
    code = _compiled("def f(a, text):\n    return 'b' in a in text\n")
    assert "'b' in __opportune_concrete__(a) in text" in code


@pytest.mark.parametrize(("item", "container"), [
    ("a", "cat"), (3, range(5)), (3, [1, 2]), ("k", {"k": 1}), ((1, 2), {(1, 2)}),
    (b"x", b"xyz"), (None, (None,)),
])
def test_the_hook_without_a_runtime_is_pythons_in(item: object, container: object) -> None:
    assert hooks.contains(item, container, False) is (item in container)
    assert hooks.contains(item, container, True) is (item not in container)


def test_the_hook_raises_pythons_error() -> None:
    with pytest.raises(TypeError, match="requires string as left operand, not int"):
        hooks.contains(1, "abc", False)
