"""The wire protocol between opportune's LLM client and the serving gateway.

Every LLM call made under opportune carries its identity as HTTP headers: which program run it
belongs to, which thread of that program issued it, its call id, and the calls whose results its
inputs were computed from. The gateway schedules by these; an engine that ignores them still works.
A request without them is treated as a program of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

PROGRAM_HEADER = "X-Opportune-Program"
THREAD_HEADER = "X-Opportune-Thread"
CALL_HEADER = "X-Opportune-Call"
PARENTS_HEADER = "X-Opportune-Parents"

__all__ = [
    "CALL_HEADER",
    "PARENTS_HEADER",
    "PROGRAM_HEADER",
    "THREAD_HEADER",
    "CallIdentity",
    "HeaderError",
    "SupportsCallInfo",
    "headers_for",
    "identity_from_headers",
]


class SupportsCallInfo(Protocol):
    """Anything shaped like ``opportune.runtime.context.CallInfo``."""

    @property
    def program_id(self) -> str: ...
    @property
    def thread_id(self) -> int: ...
    @property
    def call_id(self) -> int: ...
    @property
    def parents(self) -> tuple[int, ...]: ...


def headers_for(info: SupportsCallInfo) -> dict[str, str]:
    """The headers that announce ``info`` to a program-aware gateway."""
    return {
        PROGRAM_HEADER: str(info.program_id),
        THREAD_HEADER: str(int(info.thread_id)),
        CALL_HEADER: str(int(info.call_id)),
        PARENTS_HEADER: ",".join(str(int(p)) for p in info.parents),
    }


class HeaderError(ValueError):
    """A request carried opportune headers that cannot be parsed."""


@dataclass(frozen=True)
class CallIdentity:
    """Who a call belongs to, as the gateway sees it.

    ``anonymous`` marks a request that carried no program header; it gets a fresh program id so
    that it is scheduled as a program of its own.
    """

    program_id: str
    thread_id: int
    call_id: int
    parents: tuple[int, ...]
    anonymous: bool = False


def _int(headers: Mapping[str, str], name: str, default: int) -> int:
    raw = headers.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise HeaderError(
            f"header {name}: {raw!r} is not an integer; send a decimal call/thread id "
            f"(opportune's LLM client sets it for you)"
        ) from None


def identity_from_headers(headers: Mapping[str, str], *, fallback_call_id: int) -> CallIdentity:
    """Read a call's identity from request headers (case-insensitive mapping expected).

    Raises :class:`HeaderError` with a message naming the header when a value is malformed.
    """
    program = headers.get(PROGRAM_HEADER)
    if program is None or program.strip() == "":
        return CallIdentity(
            program_id=f"anon-{uuid.uuid4().hex}",
            thread_id=0,
            call_id=fallback_call_id,
            parents=(),
            anonymous=True,
        )
    raw_parents = headers.get(PARENTS_HEADER, "") or ""
    parents: list[int] = []
    for part in raw_parents.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            parents.append(int(part))
        except ValueError:
            raise HeaderError(
                f"header {PARENTS_HEADER}: {raw_parents!r} must be comma-separated integer call ids "
                f"(for example '3,7'), or empty for a call with no parents"
            ) from None
    return CallIdentity(
        program_id=program.strip(),
        thread_id=_int(headers, THREAD_HEADER, 0),
        call_id=_int(headers, CALL_HEADER, fallback_call_id),
        parents=tuple(parents),
    )
