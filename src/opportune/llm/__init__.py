"""LLM calls as external functions, on any OpenAI-compatible endpoint or the embedded model.

``complete``, ``chat`` and ``chat_response`` are ``@opportune.external`` functions built on the
official ``openai`` SDK: under ``opportune run`` independent calls overlap, under plain Python
they run in order. The endpoint comes from ``OPENAI_BASE_URL``/``OPENAI_API_KEY``/
``OPPORTUNE_MODEL``, then the ``[tool.opportune]`` table of the nearest pyproject, and with
neither, from the embedded SmolLM2 model that opportune starts on loopback.
"""

from opportune.llm._cache import CACHE_DIR, ResponseCache, request_key
from opportune.llm._calls import EmptyResponseError, chat, chat_response, complete, stream
from opportune.llm._client import Endpoint, client_for, close_clients, resolve_endpoint
from opportune.llm._config import ConfigError, Settings, find_pyproject, load_settings
from opportune.llm._retry import is_retryable, retry_after_seconds
from opportune.llm._usage import (
    UsageRecord,
    clear_usage_log,
    on_usage,
    usage_by_call,
    usage_log,
)

__all__ = [
    "CACHE_DIR",
    "ConfigError",
    "EmptyResponseError",
    "Endpoint",
    "ResponseCache",
    "Settings",
    "UsageRecord",
    "chat",
    "chat_response",
    "clear_usage_log",
    "client_for",
    "close_clients",
    "complete",
    "find_pyproject",
    "is_retryable",
    "load_settings",
    "on_usage",
    "request_key",
    "resolve_endpoint",
    "retry_after_seconds",
    "stream",
    "usage_by_call",
    "usage_log",
]
