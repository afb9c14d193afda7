"""Capturing a program's final expression without changing anything else in its text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.quasar import NO_RESULT, with_result_capture
from benchmarks.quasar._program import RESULT_NAME, result_of

CASES = [
    ("x = 2\nx * 21", 42),
    ("x = {'a': 1}\n\nx", {"a": 1}),
    ("a = 1; a + 1", 2),
    ("s = 'é'\ns + (\n    'x'\n)", "éx"),
    ("if True:\n    y = 1\n", NO_RESULT),
    ("y = 5", NO_RESULT),
    ("1\nz = 3", NO_RESULT),
    ("'ünïcode'; 'last'", "last"),
    ("n = 3\nn,  n", (3, 3)),
    ("", NO_RESULT),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_final_expression_is_the_result(source: str, expected: object) -> None:
    changed = with_result_capture(source)
    namespace: dict[str, object] = {}
    exec(compile(changed, "<case>", "exec"), namespace)  # noqa: S102
    if expected is NO_RESULT:
        assert result_of(namespace) is NO_RESULT
    else:
        assert result_of(namespace) == expected


@pytest.mark.parametrize(("source", "_"), CASES)
def test_only_the_final_expression_changes(source: str, _: object) -> None:
    changed = with_result_capture(source)
    assert changed.replace(f"{RESULT_NAME} = ", "", 1) == source
    assert changed.count(RESULT_NAME) <= 1
