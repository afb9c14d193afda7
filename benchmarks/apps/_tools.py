"""The apps' tools: search, arithmetic and vision, each external with a fixed recorded latency.

Each tool has a blocking ``@opportune.external`` version (what a user writes) and an async twin
(what an expert's asyncio version awaits); both compute the same deterministic result from
the same pure function, so every mode sees identical answers.
"""

from __future__ import annotations

import ast
import hashlib
import operator

import opportune
from benchmarks.apps._common import atool_sleep, tool_call_started, tool_sleep

# Recorded latencies in seconds (order of magnitude of hosted search / GLIP / BLIP calls).
SEARCH_LATENCY = 0.3
MATH_LATENCY = 0.05
DETECT_LATENCY = 0.25
VQA_LATENCY = 0.15


def _digest(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


_FACTS = {
    "Scott Derrickson": "Scott Derrickson (born July 16, 1966) is an American director, "
    "screenwriter and producer.",
    "Ed Wood": "Edward Davis Wood Jr. (October 10, 1924 - December 10, 1978) was an American "
    "filmmaker, actor, and author.",
}


def search_result(query: str) -> str:
    if query in _FACTS:
        return _FACTS[query]
    if query.startswith("population of "):
        place = query.removeprefix("population of ")
        return f"The population of {place} is {100_000 + _digest(query) % 9_000_000}."
    if query.startswith("area of "):
        place = query.removeprefix("area of ")
        return f"The area of {place} is {50 + _digest(query) % 950} square kilometres."
    genres = ["drama", "comedy", "thriller", "science fiction", "animation", "crime"]
    genre = genres[_digest(query) % len(genres)]
    return f"{query} is a {1960 + _digest(query) % 60} {genre} film."


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv}


def math_result(expression: str) -> float:
    """Evaluate + - * / arithmetic; anything else is an error that says what is allowed."""

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        raise ValueError(
            f"math tool got {expression!r}; it evaluates numbers with + - * / and parentheses only"
        )

    return round(ev(ast.parse(expression, mode="eval")), 6)


def detect_result(image: str, name: str) -> list[str]:
    count = 2 + _digest(image + name) % 3
    return [f"{image}#{name}{i}" for i in range(count)]


def vqa_result(patch: str, question: str) -> str:
    if question.startswith("how tall"):
        return f"{10 + _digest(patch) % 90} metres"
    colours = ["red", "blue", "white", "black", "green", "silver"]
    return colours[_digest(patch + question) % len(colours)]


@opportune.external
def search(query: str) -> str:
    """Web search (simulated): a deterministic snippet after the recorded latency."""
    tool_call_started("search", query)
    tool_sleep(SEARCH_LATENCY)
    return search_result(query)


@opportune.external
def calculate(expression: str) -> float:
    """Arithmetic tool (simulated math API)."""
    tool_call_started("calculate", expression)
    tool_sleep(MATH_LATENCY)
    return math_result(expression)


@opportune.external
def detect(image: str, name: str) -> list[str]:
    """Open-vocabulary object detection (simulated GLIP): the patches showing ``name``."""
    tool_call_started("detect", name)
    tool_sleep(DETECT_LATENCY)
    return detect_result(image, name)


@opportune.external
def ask_patch(patch: str, question: str) -> str:
    """Visual question answering on one patch (simulated BLIP)."""
    tool_call_started("ask_patch", patch)
    tool_sleep(VQA_LATENCY)
    return vqa_result(patch, question)


async def asearch(query: str) -> str:
    await atool_sleep(SEARCH_LATENCY)
    return search_result(query)


async def acalculate(expression: str) -> float:
    await atool_sleep(MATH_LATENCY)
    return math_result(expression)


async def adetect(image: str, name: str) -> list[str]:
    await atool_sleep(DETECT_LATENCY)
    return detect_result(image, name)


async def aask_patch(patch: str, question: str) -> str:
    await atool_sleep(VQA_LATENCY)
    return vqa_result(patch, question)
