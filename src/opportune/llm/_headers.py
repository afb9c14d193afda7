"""The ``X-Opportune-*`` headers that tell a program-aware gateway which call a request is.

The header names belong to the serving layer (:mod:`opportune.serve.protocol`); the same names
are spelled here as a fallback so that LLM calls keep working where that layer cannot be imported.
"""

from __future__ import annotations

from collections.abc import Callable

from opportune.runtime.context import CallInfo, current_call


def _fallback_headers_for(info: CallInfo) -> dict[str, str]:
    return {
        "X-Opportune-Program": str(info.program_id),
        "X-Opportune-Thread": str(int(info.thread_id)),
        "X-Opportune-Call": str(int(info.call_id)),
        "X-Opportune-Parents": ",".join(str(int(p)) for p in info.parents),
    }


def _load() -> Callable[[CallInfo], dict[str, str]]:
    try:
        from opportune.serve.protocol import headers_for
    except ImportError:
        return _fallback_headers_for
    return headers_for


_headers_for: Callable[[CallInfo], dict[str, str]] | None = None


def call_headers() -> dict[str, str]:
    """Headers for the opportune call running on this thread; empty outside any call."""
    global _headers_for
    info = current_call()
    if info is None:
        return {}
    if _headers_for is None:
        _headers_for = _load()
    return dict(_headers_for(info))
