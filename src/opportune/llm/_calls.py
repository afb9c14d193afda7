"""The LLM calls themselves: one request path shared by chat, complete and stream.

Each call resolves settings, picks the shared client for its endpoint, tags the request with the
identity of the opportune call it belongs to, consults the cache, retries transient failures and
records token usage. ``complete``, ``chat`` and ``chat_response`` are external functions, so under
``opportune run`` independent calls overlap; under plain Python they run where they are called.
Under opportune, ``complete`` and ``chat`` run through their streaming producers instead, which
send the same request with streaming and yield the same text as it is generated.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from opportune.llm._cache import ResponseCache, request_key
from opportune.llm._client import Endpoint, client_for, resolve_endpoint
from opportune.llm._config import Settings, convert, load_settings
from opportune.llm._headers import call_headers
from opportune.llm._retry import call_with_retries, retrying
from opportune.llm._sse import chunks as sse_chunks
from opportune.llm._usage import UsageRecord, record_usage
from opportune.runtime.context import current_call
from opportune.runtime.externals import external
from opportune.runtime.streams import RESTART

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


def _chat_completion(plan: _Plan) -> ChatCompletion:
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


def _no_choices(response_id: str | None) -> EmptyResponseError:
    return EmptyResponseError(
        f"the endpoint answered without any choices (response id {response_id!r}); "
        "check that the model name is one the endpoint serves"
    )


def _text(response: ChatCompletion) -> str:
    if not response.choices:
        raise _no_choices(response.id)
    return response.choices[0].message.content or ""


# --- streaming ---------------------------------------------------------------------------

@dataclasses.dataclass
class _Tally:
    """What one streamed attempt has said besides its text: model, usage, whether it had a
    choice at all (an answer without one is an error, as for a whole response)."""

    model: str
    response_id: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    pieces: int = 0
    had_choice: bool = False


def _stream_body(body: dict[str, Any]) -> dict[str, Any]:
    # Usage arrives in a last chunk only when asked for; endpoints that do not know the option
    # ignore it (the piece count then stands in for completion tokens).
    options = dict(body.get("stream_options") or {})
    options["include_usage"] = True
    return {**body, "stream": True, "stream_options": options}


def _read_chunks(response: Any, tally: _Tally) -> Iterator[str]:
    """The text of choice 0 from an open streamed response (the SDK's ``APIResponse``, read
    event by event with :mod:`opportune.llm._sse`); a connection lost mid-answer becomes the
    SDK's own connection error, which the retry policy knows as transient."""
    http_response = response.http_response
    request = http_response.request
    # The SDK's HTTP library (httpx, or httpx2 in newer SDKs) raises its own errors while a
    # body is read; take their classes from the response's library rather than guessing it.
    http = sys.modules[type(http_response).__module__.partition(".")[0]]
    try:
        for chunk in sse_chunks(response.iter_lines(), request):
            tally.model = chunk.get("model") or tally.model
            tally.response_id = chunk.get("id") or tally.response_id
            usage = chunk.get("usage")
            if isinstance(usage, dict):
                tally.prompt_tokens = usage.get("prompt_tokens") or 0
                tally.completion_tokens = usage.get("completion_tokens") or 0
            for choice in chunk.get("choices") or ():
                tally.had_choice = True
                if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                    continue
                delta = choice.get("delta")
                content = delta.get("content") if isinstance(delta, dict) else None
                if content and isinstance(content, str):
                    tally.pieces += 1
                    yield content
    except http.TimeoutException as exc:
        raise openai.APITimeoutError(request=request) from exc
    except http.TransportError as exc:
        raise openai.APIConnectionError(
            message=f"the connection was lost in the middle of a streamed answer ({exc})",
            request=request,
        ) from exc
    if not tally.had_choice:
        raise _no_choices(tally.response_id)


def _streamed(plan: _Plan, *, restart: bool) -> Iterator[object]:
    """Request ``plan`` with streaming and yield its text as it arrives, retrying failures.

    Every attempt, whether it fails while opening or in the middle of the answer, goes through
    the same tenacity policy as a whole call. With ``restart`` a failure after text has been
    yielded is retried too: :data:`RESTART` is yielded before the next attempt, whose text then
    comes from its beginning (the runtime checks that it repeats what was delivered). Without
    it, such a failure is raised, since a plain iterator cannot take text back. One
    :class:`UsageRecord` is kept for the whole call once an attempt has finished.

    The first attempt runs before the policy exists, as in :func:`call_with_retries`: most
    calls succeed at once, and the policy costs as much to build as the call's own Python
    work. After a failure the policy takes that failure as its first attempt.
    """
    settings, endpoint = plan.settings, plan.endpoint
    body = _stream_body(plan.body)
    client = client_for(endpoint.base_url, endpoint.api_key)
    headers = call_headers()
    attempts = 0
    waits: list[float] = []
    delivered = False  # the last attempt yielded text that a new attempt must take back
    tally = _Tally(endpoint.model)

    def attempt() -> Iterator[str]:
        nonlocal attempts, delivered, tally
        attempts += 1
        tally = _Tally(endpoint.model)
        opened = client.chat.completions.with_streaming_response.create(
            **body, extra_headers=headers, timeout=settings.timeout
        )
        with opened as response:
            for piece in _read_chunks(response, tally):
                delivered = True
                yield piece

    failed = None
    try:
        yield from attempt()
    except Exception:
        if delivered and not restart:
            raise
        failed = sys.exc_info()
    if failed is not None:
        for policy_attempt in retrying(
            max_attempts=settings.max_attempts,
            backoff_initial=settings.backoff_initial,
            backoff_max=settings.backoff_max,
            waits=waits,
        ):
            if failed is not None:
                policy_attempt.retry_state.set_exception(failed)  # type: ignore[arg-type]
                failed = None
                continue
            try:
                if delivered:
                    delivered = False
                    yield RESTART
                yield from attempt()
            except Exception:
                if delivered and not restart:
                    raise
                policy_attempt.retry_state.set_exception(sys.exc_info())  # type: ignore[arg-type]
            else:
                policy_attempt.retry_state.set_result(None)
    record_usage(
        UsageRecord(
            route="chat.completions(stream)",
            model=tally.model,
            base_url=endpoint.base_url,
            prompt_tokens=tally.prompt_tokens,
            completion_tokens=tally.completion_tokens or tally.pieces,
            call=current_call(),
            attempts=attempts,
            retry_waits=tuple(waits),
        )
    )


def _answer_pieces(plan: _Plan) -> Iterator[object]:
    """The producer behind ``complete`` and ``chat`` under opportune: the same answer, as it is
    generated. A cached answer cannot be streamed, so with the cache on the whole call is made
    (or served from the cache) and its text is one piece."""
    if plan.settings.cache:
        text = _text(_chat_completion(plan))
        if text:
            yield text
        return
    yield from _streamed(plan, restart=True)


def _complete_pieces(prompt: str, *, system: str | None = None,
                     **options: Any) -> Iterator[object]:
    """:func:`complete` as a stream of text pieces (see :mod:`opportune.runtime.streams`)."""
    yield from _answer_pieces(_plan(_prompt_messages(prompt, system, "complete"), options,
                                    "complete"))


def _chat_pieces(messages: Sequence[Message], **options: Any) -> Iterator[object]:
    """:func:`chat` as a stream of text pieces (see :mod:`opportune.runtime.streams`)."""
    yield from _answer_pieces(_plan(_check_messages(messages, "chat"), options, "chat"))


@external(name="opportune.llm.chat_response")
def chat_response(messages: Sequence[Message], **options: Any) -> ChatCompletion:
    """Send a conversation and return the SDK's full ``ChatCompletion`` (usage, finish reason).

    Options: ``model``, ``timeout`` (seconds), ``cache``, ``base_url``, ``api_key``,
    ``max_attempts``; anything else (``temperature``, ``max_tokens``, ``stop``, ``seed``,
    ``response_format`` ...) is passed to the endpoint unchanged.
    """
    return _chat_completion(_plan(_check_messages(messages, "chat_response"), options,
                                  "chat_response"))


@external(name="opportune.llm.chat", stream=_chat_pieces)
def chat(messages: Sequence[Message], **options: Any) -> str:
    """Send a conversation and return the reply's text. Options as for :func:`chat_response`.

    Under opportune the reply is requested with streaming, so work on its first lines can start
    before it ends; the text is the same.
    """
    return _text(_chat_completion(_plan(_check_messages(messages, "chat"), options, "chat")))


@external(name="opportune.llm.complete", stream=_complete_pieces)
def complete(prompt: str, *, system: str | None = None, **options: Any) -> str:
    """Answer one prompt (sent as a user message, after ``system`` if given) and return the text.

    Options as for :func:`chat_response`. Under opportune the answer is requested with
    streaming, so work on its first lines can start before it ends; the text is the same.
    """
    return _text(_chat_completion(_plan(_prompt_messages(prompt, system, "complete"), options,
                                        "complete")))


def stream(prompt: str | Sequence[Message], *, system: str | None = None,
           **options: Any) -> Iterator[str]:
    """Yield the answer's text as the endpoint generates it.

    A plain generator, not an external call: it runs where it is iterated, under plain Python
    and under opportune alike. A failure before any text has arrived (opening the stream, or a
    connection lost before the first piece) is retried like any call; once text has started to
    arrive a failure is raised, since repeating it would repeat text.
    """
    if isinstance(prompt, str):
        messages = _prompt_messages(prompt, system, "stream")
    else:
        messages = _check_messages(prompt, "stream")
    for piece in _streamed(_plan(messages, dict(options), "stream"), restart=False):
        assert isinstance(piece, str)  # RESTART comes only with restart=True
        yield piece
