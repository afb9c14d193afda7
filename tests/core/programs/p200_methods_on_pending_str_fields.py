"""Methods of ``str`` on fields of pending answers whose class the call names (``type[T]`` ->
``T``): lowered, searched and split without waiting, in a loop that keeps the first match."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TypeVar

import opportune

T = TypeVar("T")


@dataclass(frozen=True)
class Verdict:
    service: str
    is_reset: bool


@opportune.external
def ask(prompt: str, schema: type[T]) -> T:
    time.sleep(0.02)
    if schema is Verdict:
        return Verdict(service=" TechServices " if "2" in prompt else "Other ", is_reset="1" not in prompt)
    raise TypeError(f"unknown schema {schema!r}")


found = None
checked = []
for i, mail in enumerate(["mail-1", "mail-2", "mail-3"]):
    verdict = ask(f"{mail} #{i}", Verdict)
    service = verdict.service.strip().lower()
    hit = service.find("techservices") != -1
    words = verdict.service.split()
    checked.append(len(words))
    if verdict.is_reset and hit and found is None:
        found = mail
print(found, checked)
print(ask("mail-9", Verdict).service.upper().center(20, "*"))
