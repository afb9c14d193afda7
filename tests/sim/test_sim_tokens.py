"""The simulator's tokenizer: counts are stable and pieces rebuild the text exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportune.sim import count_tokens
from opportune.sim._tokens import pieces, stable_hash, unit_interval


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("Hello", ["Hello"]),
        ("Hello, world!", ["Hello", ",", " world", "!"]),
        ("extraordinary", ["extrao", "rdinar", "y"]),
        ("12345", ["123", "45"]),
        ("a_b", ["a", "_", "b"]),
        ("  two  spaces ", ["  two", "  spaces", " "]),
        ("naïve café", ["naïve", " café"]),
    ],
)
def test_pieces(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected
    assert count_tokens(text) == len(expected)


@given(st.text())
def test_pieces_rebuild_the_text(text: str) -> None:
    assert "".join(pieces(text)) == text
    assert count_tokens(text) == len(pieces(text))


def test_english_is_about_four_characters_per_token() -> None:
    text = (
        "The simulator charges tokens the way hosted APIs roughly do, so that timing and usage "
        "figures from benchmarks are in the range a real endpoint would report for this text."
    )
    assert 3.0 <= len(text) / count_tokens(text) <= 6.0


def test_hash_and_coin_are_stable() -> None:
    assert stable_hash("abc") == stable_hash("abc") != stable_hash("abd")
    coin = unit_interval(1, "key", 0)
    assert coin == unit_interval(1, "key", 0)
    assert 0 <= coin < 1
    assert coin != unit_interval(2, "key", 0)
