"""A loop that stops at the first answer whose field, lowered, matches: the condition of the
``break`` is built lazily from the pending answer, but no call after the match is made."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TypeVar

import opportune

T = TypeVar("T")


@dataclass(frozen=True)
class Reply:
    service: str


@opportune.external
def ask(prompt: str, schema: type[T]) -> T:
    time.sleep(0.02)
    print("asked", prompt)
    return schema(service="TechServices" if prompt == "b" else "other")


chosen = None
for name in ["a", "b", "c", "d"]:
    reply = ask(name, Reply)
    if reply.service.lower().startswith("tech"):
        chosen = name
        break
    print("no match at", name)
print("chosen", chosen)
