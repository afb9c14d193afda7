"""A method of a built-in type applied to a pending value raises: the same exception, caught
by the same handler, with the same output around it; ``list.index`` of a missing item, a
``str`` method given a wrong argument, ``dict.get`` on an answer that is no dict."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TypeVar

import opportune

T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    text: str


@opportune.external
def ask(prompt: str, schema: type[T]) -> T:
    time.sleep(0.02)
    return schema(text=f"answer to {prompt}")


@opportune.external
def numbers(n: int) -> list[int]:
    time.sleep(0.02)
    return list(range(n))


@opportune.external
def lying(n: int) -> dict[str, int]:
    time.sleep(0.02)
    return [n]  # not the dict the annotation promises


xs = numbers(3)
try:
    where = xs.index(7)
    print("not reached", where)
except ValueError as e:
    print("caught", e)

a = ask("q", Answer)
try:
    print("before the bad call")
    n = a.text.count(5)
    print("not reached", n)
except TypeError as e:
    print("caught", e)

d = lying(2)
try:
    print(d.get("k"))
except AttributeError as e:
    print("caught", e)

print(a.text.upper())
