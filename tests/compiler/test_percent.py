"""How ``%`` is compiled (compiler/transform.py, visit_BinOp): printf-style formatting goes
through the hook, which spreads a tool's pending tuple as plain Python spreads a tuple;
arithmetic stays CPython's own operator, so a sieve's inner loop pays nothing."""

from __future__ import annotations

import ast

from opportune.compiler.transform import transform


def _compiled(source: str) -> str:
    return ast.unparse(transform(ast.parse(source), filename="<percent>"))


def test_a_loop_counter_on_the_left_is_left_to_cpython() -> None:
    code = _compiled(
        "def sieve(limit, found):\n"
        "    for n in range(2, limit):\n"
        "        for p in found:\n"
        "            if n % p == 0:\n"
        "                break\n")
    assert "n % p == 0" in code
    assert "__opportune_percent__" not in code


def test_a_name_that_may_hold_a_format_string_is_tested_inline() -> None:
    code = _compiled(
        "def show(fmt, answer):\n"
        "    return fmt % answer\n")
    # an int on the left takes CPython's ``%`` at once, anything else the hook
    assert "fmt % answer if __opportune_type__(fmt) is __opportune_b_int__ " \
           "else __opportune_percent__(fmt, answer)" in code


def test_a_counter_rebound_elsewhere_is_not_taken_for_an_int() -> None:
    code = _compiled(
        "def f(items):\n"
        "    for i in range(3):\n"
        "        pass\n"
        "    i = '%s!'\n"
        "    return i % items\n")
    assert "__opportune_percent__(i, items)" in code


def test_formatting_with_a_string_on_the_left_goes_through_the_hook() -> None:
    code = _compiled("def f(pair):\n    return '%s and %s' % pair\n")
    assert "__opportune_percent__('%s and %s', pair)" in code


def test_a_lambda_parameter_named_like_a_counter_is_not_taken_for_one() -> None:
    code = _compiled(
        "def f(pair):\n"
        "    for n in range(3):\n"
        "        pass\n"
        "    show = lambda n: n % pair\n"
        "    return show('%s and %s')\n")
    assert "__opportune_percent__(n, pair)" in code
