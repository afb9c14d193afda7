"""The LLM calls themselves: one request path shared by chat, complete and stream.

Each call resolves settings, picks the shared client for its endpoint, tags the request with the
identity of the opportune call it belongs to, consults the cache, retries transient failures and
records token usage. ``complete``, ``chat`` and ``chat_response`` are external functions, so under
``opportune run`` independent calls overlap; under plain Python they run where they are called.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from openai.types.chat import ChatCompletion

from opportune.llm._cache import ResponseCache, request_key
from opportune.llm._client import Endpoint, client_for, resolve_endpoint
from opportune.llm._config import Settings, convert, load_settings
from opportune.llm._headers import call_headers
from opportune.llm._retry import call_with_retries
from opportune.llm._usage import UsageRecord, record_usage
from opportune.runtime.context import current_call
from opportune.runtime.externals import external

# Options that steer opportune rather than the model; everything else goes to the endpoint.
_SETTING_OPTIONS = ("base_url", "api_key", "model", "cache", "timeout", "max_attempts",
                    "backoff_initial", "backoff_max")

Message = Mapping[str, Any]

EMBEDDED_TIMEOUT = 3600.0


class EmptyResponseError(RuntimeError):
    """The endpoint answered a chat request with no choices at all."""


@dataclasses.dataclass(frozen=True)
class _Plan:
    settings: Settings
    endpoint: Endpoint
    body: dict[str, Any]


def _plan(messages: list[dict[str, Any]], options: dict[str, Any], caller: str) -> _Plan:
    own = {k: options.pop(k) for k in _SETTING_OPTIONS if k in options}
    if options.get("stream"):
        raise ValueError(
            f"opportune.llm.{caller}() returns the whole answer; for text as it is generated "
            "use opportune.llm.stream(prompt) instead of stream=True"
        )
    options.pop("stream", None)
    for reserved in ("messages", "extra_headers"):
        if reserved in options:
            raise TypeError(f"opportune.llm.{caller}() sets {reserved} itself; leave it out")
    settings = load_settings()
    if own:
        changes = {k: convert(k, v, f"opportune.llm.{caller}({k}=...)") for k, v in own.items()}
        settings = dataclasses.replace(settings, **changes)
    endpoint = resolve_endpoint(settings)
    if endpoint.embedded and "timeout" not in own and "timeout" not in settings.sources:
        # one model serves every call in turn: a call may wait long in its queue, and giving
        # up would only queue it again
        settings = dataclasses.replace(settings, timeout=EMBEDDED_TIMEOUT)
    body = {"model": endpoint.model, "messages": messages, **options}
    return _Plan(settings=settings, endpoint=endpoint, body=body)


def _check_messages(messages: object, caller: str) -> list[dict[str, Any]]:
    if isinstance(messages, str) or not isinstance(messages, Sequence) or not messages:
        raise TypeError(
            f"opportune.llm.{caller}() takes a non-empty list of messages such as "
            f"[{{'role': 'user', 'content': 'Hi'}}], got {type(messages).__name__}; "
            "for a single prompt string use opportune.llm.complete(prompt)"
        )
    checked = []
    for i, message in enumerate(messages):
        if not isinstance(message, Mapping) or "role" not in message:
            raise TypeError(
                f"opportune.llm.{caller}(): message {i} must be a dict with 'role' and "
                f"'content', got {message!r}"
            )
        checked.append(dict(message))
    return checked


def _prompt_messages(prompt: object, system: str | None, caller: str) -> list[dict[str, Any]]:
    if not isinstance(prompt, str):
        raise TypeError(
            f"opportune.llm.{caller}() takes the prompt as a str, got {type(prompt).__name__}; "
            "for a conversation use opportune.llm.chat(messages)"
        )
    messages: list[dict[str, Any]] = []
    if system is not None:
        messages.append({"role": "system", "content": system})
    messages.append({"role": "user", "content": prompt})
    return messages


def _chat_completion(messages: list[dict[str, Any]], options: dict[str, Any],
                     caller: str) -> ChatCompletion:
    plan = _plan(messages, options, caller)
    settings, endpoint, body = plan.settings, plan.endpoint, plan.body
    cache = ResponseCache(settings.project_root) if settings.cache else None
    key = request_key("chat.completions", endpoint.base_url, body) if cache else ""
    if cache is not None:
        stored = cache.get(key)
        if stored is not None:
            response = ChatCompletion.model_validate(stored)
            _record(response, endpoint, cached=True, attempts=0, waits=[])
            return response
    client = client_for(endpoint.base_url, endpoint.api_key)
    headers = call_headers()
    attempts = 0
    waits: list[float] = []

    def send() -> ChatCompletion:
        nonlocal attempts
        attempts += 1
        return client.chat.completions.create(  # type: ignore[no-any-return]
            **body, extra_headers=headers, timeout=settings.timeout
        )

    response = call_with_retries(
        send,
        max_attempts=settings.max_attempts,
        backoff_initial=settings.backoff_initial,
        backoff_max=settings.backoff_max,
        waits=waits,
    )
    if cache is not None:
        cache.put(key, response.model_dump(mode="json"))
    _record(response, endpoint, cached=False, attempts=attempts, waits=waits)
    return response


def _record(response: ChatCompletion, endpoint: Endpoint, *, cached: bool, attempts: int,
            waits: list[float]) -> None:
    usage = response.usage
    record_usage(
        UsageRecord(
            route="chat.completions",
            model=response.model or endpoint.model,
            base_url=endpoint.base_url,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            call=current_call(),
            cached=cached,
            attempts=attempts,
            retry_waits=tuple(waits),
        )
    )


def _text(response: ChatCompletion) -> str:
    if not response.choices:
        raise EmptyResponseError(
            f"the endpoint answered without any choices (response id {response.id!r}); "
            "check that the model name is one the endpoint serves"
        )
    return response.choices[0].message.content or ""


@external(name="opportune.llm.chat_response")
def chat_response(messages: Sequence[Message], **options: Any) -> ChatCompletion:
    """Send a conversation and return the SDK's full ``ChatCompletion`` (usage, finish reason).

    Options: ``model``, ``timeout`` (seconds), ``cache``, ``base_url``, ``api_key``,
    ``max_attempts``; anything else (``temperature``, ``max_tokens``, ``stop``, ``seed``,
    ``response_format`` ...) is passed to the endpoint unchanged.
    """
    return _chat_completion(_check_messages(messages, "chat_response"), options, "chat_response")


@external(name="opportune.llm.chat")
def chat(messages: Sequence[Message], **options: Any) -> str:
    """Send a conversation and return the reply's text. Options as for :func:`chat_response`."""
    return _text(_chat_completion(_check_messages(messages, "chat"), options, "chat"))


@external(name="opportune.llm.complete")
def complete(prompt: str, *, system: str | None = None, **options: Any) -> str:
    """Answer one prompt (sent as a user message, after ``system`` if given) and return the text.

    Options as for :func:`chat_response`.
    """
    return _text(_chat_completion(_prompt_messages(prompt, system, "complete"), options,
                                  "complete"))


def stream(prompt: str | Sequence[Message], *, system: str | None = None,
           **options: Any) -> Iterator[str]:
    """Yield the answer's text as the endpoint generates it.

    A plain generator, not an external call: it runs where it is iterated, under plain Python
    and under opportune alike. Opening the stream is retried like any call; once text has
    started to arrive a failure is raised, since repeating it would repeat text.
    """
    if isinstance(prompt, str):
        messages = _prompt_messages(prompt, system, "stream")
    else:
        messages = _check_messages(prompt, "stream")
    plan = _plan(messages, dict(options), "stream")
    settings, endpoint, body = plan.settings, plan.endpoint, plan.body
    client = client_for(endpoint.base_url, endpoint.api_key)
    headers = call_headers()
    attempts = 0
    waits: list[float] = []

    def open_stream() -> Any:
        nonlocal attempts
        attempts += 1
        return client.chat.completions.create(
            **body, stream=True, extra_headers=headers, timeout=settings.timeout
        )

    chunks = call_with_retries(
        open_stream,
        max_attempts=settings.max_attempts,
        backoff_initial=settings.backoff_initial,
        backoff_max=settings.backoff_max,
        waits=waits,
    )
    prompt_tokens = completion_tokens = 0
    pieces = 0
    model = endpoint.model
    with chunks:
        for chunk in chunks:
            model = chunk.model or model
            if chunk.usage is not None:
                prompt_tokens = chunk.usage.prompt_tokens
                completion_tokens = chunk.usage.completion_tokens
            if not chunk.choices:
                continue
            piece = chunk.choices[0].delta.content
            if piece:
                pieces += 1
                yield piece
    record_usage(
        UsageRecord(
            route="chat.completions(stream)",
            model=model,
            base_url=endpoint.base_url,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens or pieces,
            call=current_call(),
            attempts=attempts,
            retry_waits=tuple(waits),
        )
    )
