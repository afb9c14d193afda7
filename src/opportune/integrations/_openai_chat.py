"""The ``openai`` SDK's ``chat.completions.create``, streamed under opportune.

A program that asks the SDK for a whole ``ChatCompletion`` gets one, but under opportune the
request is sent with ``stream=True`` and the answer's text feeds the call's stream as it
arrives, so work on ``resp.choices[0].message.content``'s first lines starts before the answer
ends (the spec's ``stream_path``). The chunks are assembled into the ``ChatCompletion`` the
program would have received; docs/streaming.md lists the fields a stream cannot reproduce.

Only requests whose streamed form says everything the whole answer would are streamed: one
choice, no tools or function calls, no log probabilities, no audio. The others, and requests
that are already streamed (``stream=True``), are sent exactly as the program wrote them.

Failures follow the SDK's own policy for a whole request. Opening the stream is retried by the
SDK itself; a connection lost in the middle of the answer, which the SDK would have retried
for a whole request (it reads the whole body inside its retry loop), is retried here out of the
same budget of ``max_retries``, after a :data:`RESTART` so the runtime checks that the new
attempt repeats the text already delivered. When the budget is spent, the program meets the
SDK's ``APIConnectionError`` (or ``APITimeoutError``), as it would have.

The ``openai`` package is imported only when a call is made: this module is part of the table of
known externals, which must load without the SDK.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Generator, Mapping
from typing import Any

from opportune.runtime.streams import RESTART

STREAM_PATH = "choices[0].message.content"

# Options whose streamed answer carries more than text (tool calls, log probabilities, audio,
# several choices) or that change what is streamed: such requests are sent unchanged.
_UNSTREAMED = frozenset({
    "stream", "stream_options", "tools", "functions", "tool_choice", "function_call",
    "parallel_tool_calls", "logprobs", "top_logprobs", "audio", "modalities", "n",
    "web_search_options",
})

# Endpoints that refused ``stream_options``: their streams carry no usage, and asking again
# would cost a refused request per call.
_NO_USAGE_OPTION: set[str] = set()
_lock = threading.Lock()


def _given(value: object) -> bool:
    """Whether an option was really given (the SDK's NOT_GIVEN and omit are not)."""
    return value is not None and type(value).__name__ not in ("NotGiven", "Omit")


def streamable(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> bool:
    """Whether this ``create(...)`` can be streamed and assembled into the same answer."""
    if args:
        return False  # create takes keywords only: the SDK raises its own TypeError
    for name in _UNSTREAMED:
        value = kwargs.get(name)
        if _given(value) and value is not False and not (name == "n" and value == 1):
            return False
    headers = kwargs.get("extra_headers")
    if _given(headers) and any(str(h).lower() == "x-stainless-raw-response" for h in headers):
        return False  # with_raw_response / with_streaming_response: the HTTP response is asked for
    extra = kwargs.get("extra_body")
    return not _given(extra) or isinstance(extra, Mapping) and not _UNSTREAMED & set(extra)


def stream_chat_completion(self: Any, *args: Any, **kwargs: Any) -> Generator[object, None, Any]:
    """The producer behind ``Completions.create`` under opportune (see the module docstring):
    yields the text of choice 0 as it arrives and returns the assembled ``ChatCompletion``."""
    method = type(self).create
    create = getattr(method, "__opportune_target__", method)
    if not streamable(args, kwargs):
        return create(self, *args, **kwargs)
    client = self._client
    budget = client.max_retries
    taken = 0  # retries spent, by the SDK while opening and here after a lost connection
    delivered = False  # text has reached the program's stream, so a retry must repeat it
    while True:
        resource = self if taken == 0 else type(self)(
            client.with_options(max_retries=budget - taken))
        chunks = _open(create, resource, client, kwargs)
        taken += _retries_taken(chunks)
        answer = _Answer()
        try:
            with chunks:
                for chunk in chunks:
                    piece = answer.add(chunk)
                    if piece:
                        delivered = True
                        yield piece
        except Exception as exc:
            error = _lost_connection(exc, chunks)
            if error is None:
                raise
            if taken >= budget:
                if error is exc:
                    raise
                raise error from exc
            time.sleep(_backoff(taken))
            taken += 1
            if delivered:
                yield RESTART  # the next attempt's text comes from its beginning
            continue
        return answer.completion()


def _open(create: Any, resource: Any, client: Any, kwargs: Mapping[str, Any]) -> Any:
    """Send the request with streaming; without ``stream_options`` where it was refused."""
    import openai

    kwargs = {k: v for k, v in kwargs.items() if k != "stream"}  # stream=False, say
    key = str(client.base_url)
    with _lock:
        ask_usage = key not in _NO_USAGE_OPTION
    if ask_usage:
        try:
            return create(resource, **kwargs, stream=True,
                          stream_options={"include_usage": True})
        except openai.APIStatusError as exc:
            if exc.status_code not in (400, 422) or "stream_options" not in str(exc):
                raise
            with _lock:
                _NO_USAGE_OPTION.add(key)
    return create(resource, **kwargs, stream=True)


def _retries_taken(chunks: Any) -> int:
    """How many retries the SDK spent opening this stream (it numbers each attempt in a
    request header)."""
    try:
        return int(chunks.response.request.headers.get("x-stainless-retry-count", "0"))
    except (AttributeError, ValueError):
        return 0


def _lost_connection(exc: Exception, chunks: Any) -> Exception | None:
    """The SDK's error for a body that broke off, as a whole request would have raised it,
    or None for any other failure. Newer SDKs raise it themselves; older ones let the HTTP
    library's error through, whose classes are taken from the response's own library."""
    import openai

    if isinstance(exc, openai.APIConnectionError):
        return exc
    response: Any = chunks.response
    http = sys.modules.get(type(response).__module__.partition(".")[0])
    if http is None or not hasattr(http, "TransportError"):
        return None
    if isinstance(exc, http.TimeoutException):
        return openai.APITimeoutError(request=response.request)
    if isinstance(exc, http.TransportError):
        return openai.APIConnectionError(request=response.request)
    return None


def _backoff(retries_taken: int) -> float:
    """The SDK's wait before retry number ``retries_taken + 1``: exponential with jitter."""
    import random

    try:
        from openai._constants import INITIAL_RETRY_DELAY, MAX_RETRY_DELAY
    except ImportError:
        INITIAL_RETRY_DELAY, MAX_RETRY_DELAY = 0.5, 8.0
    delay = min(INITIAL_RETRY_DELAY * 2.0 ** min(retries_taken, 1000), MAX_RETRY_DELAY)
    return float(delay * (1 - 0.25 * random.random()))


class _Answer:
    """The chunks of one streamed attempt, gathered into the whole answer's fields."""

    def __init__(self) -> None:
        self.top: dict[str, Any] = {}
        self.role: str | None = None
        self.content: list[str] = []
        self.has_content = False
        self.refusal: list[str] = []
        self.has_refusal = False
        self.finish_reason: str | None = None
        self.had_choice = False
        self.usage: Any = None

    def add(self, chunk: Any) -> str:
        """Take one chunk in; returns the text it adds to choice 0's content."""
        for name in ("id", "created", "model"):
            value = getattr(chunk, name, None)
            if self.top.get(name) is None and value is not None:
                self.top[name] = value
        fields = chunk.model_fields_set
        for name in ("system_fingerprint", "service_tier"):
            if name in fields and (self.top.get(name) is None or getattr(chunk, name)):
                self.top[name] = getattr(chunk, name)
        if chunk.usage is not None:
            self.usage = chunk.usage
        piece = ""
        for choice in chunk.choices or ():
            if choice.index != 0:
                continue
            self.had_choice = True
            delta = choice.delta
            if delta is not None:
                if delta.role:
                    self.role = delta.role
                if delta.content is not None:
                    self.has_content = True
                    piece += delta.content
                if delta.refusal is not None:
                    self.has_refusal = True
                    self.refusal.append(delta.refusal)
            if choice.finish_reason is not None:
                self.finish_reason = choice.finish_reason
        if piece:
            self.content.append(piece)
        return piece

    def completion(self) -> Any:
        """The ``ChatCompletion`` the same answer would have come as, built the way the SDK
        builds a response from its JSON (so fields the answer did not carry stay unset)."""
        from openai.types.chat import ChatCompletion

        content = "".join(self.content) if self.has_content else None
        refusal = "".join(self.refusal) if self.has_refusal else None
        if refusal is not None and not content:
            content = None  # a refusal comes with no content in a whole answer
        data: dict[str, Any] = {
            "id": self.top.get("id"),
            "object": "chat.completion",
            "created": self.top.get("created"),
            "model": self.top.get("model"),
            "choices": [{
                "index": 0,
                "message": {"role": self.role or "assistant", "content": content,
                            "refusal": refusal},
                "logprobs": None,
                "finish_reason": self.finish_reason,
            }] if self.had_choice else [],
        }
        for name in ("system_fingerprint", "service_tier"):
            if name in self.top:
                data[name] = self.top[name]
        if self.usage is not None:
            data["usage"] = self.usage.to_dict()
        try:
            from openai._models import construct_type
        except ImportError:
            return ChatCompletion.model_validate(data)
        return construct_type(type_=ChatCompletion, value=data)
