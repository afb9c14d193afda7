"""Annotations are evaluated as plain Python evaluates them (this file has no
``from __future__ import annotations``), so code that reads them sees the same objects."""
import typing

from _tools import llm


def greet(name: str, times: int = 2) -> "list[str]":
    return [llm(name) for _ in range(times)]


class Point(typing.NamedTuple):
    x: int
    y: float = 0.0


print(greet.__annotations__, Point.__annotations__, typing.get_type_hints(Point))
print(greet("ann"), Point(1))
