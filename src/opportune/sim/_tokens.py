"""The simulator's tokenizer: deterministic, dependency-free, and close enough to a real one.

Timing depends on how many tokens an answer has, and ``usage`` reports token counts, so the
simulator needs a tokenizer. A real BPE vocabulary would mean shipping data and would tie the
simulator to one model family; what benchmarks need is only that the count is stable and in the
right range (about four characters of English per token, like the tokenizers hosted APIs use).

The rule: whitespace attaches to the piece that follows it; letters come in runs of up to six,
digits in runs of up to three, and every other symbol is a piece of its own. Joining the pieces
gives back the text exactly, which is what lets a stream send one piece per token.
"""

from __future__ import annotations

import hashlib
import re

_PIECE = re.compile(r"\s*(?:[^\W\d_]{1,6}|\d{1,3}|_|[^\w\s])|\s+")


def pieces(text: str) -> list[str]:
    """Split ``text`` into token pieces whose concatenation is ``text``."""
    return _PIECE.findall(text)


def count_tokens(text: str) -> int:
    """How many tokens the simulator charges for ``text``."""
    return sum(1 for _ in _PIECE.finditer(text))


def stable_hash(text: str) -> str:
    """A hash of ``text`` that is the same in every process (unlike ``hash()``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unit_interval(*parts: object) -> float:
    """A number in [0, 1) determined only by ``parts``: the simulator's seeded coin."""
    digest = hashlib.sha256("\x00".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64
