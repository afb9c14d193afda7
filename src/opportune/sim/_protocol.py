"""The OpenAI wire format: reading requests and writing responses, chunks and errors.

Kept apart from the timing so the shapes can be checked against the official SDK on their own:
every body here must parse as the SDK's ``ChatCompletion``, ``ChatCompletionChunk``,
``Completion`` or ``APIError``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from opportune.sim._answers import chat_prompt, content_text
from opportune.sim._tokens import count_tokens

Endpoint = Literal["chat", "completions"]
FINGERPRINT = "opportune-sim"


class RequestError(ValueError):
    """A request the simulator must refuse with HTTP 400; the message says how to fix it."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class SimRequest:
    endpoint: Endpoint
    model: str
    prompt: str
    prompt_tokens: int
    key: str
    stream: bool = False
    include_usage: bool = False
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()
    response_format: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _common(body: dict[str, Any], default_model: str) -> dict[str, Any]:
    model = body.get("model", default_model)
    if not isinstance(model, str) or not model:
        raise RequestError("`model` must be a non-empty string", "model")
    n = body.get("n")
    if n not in (None, 1):
        raise RequestError(
            f"n={n!r}: the simulator answers one choice per request; send n=1 (or leave n "
            "out) and make separate requests for more answers",
            "n",
        )
    stream = body.get("stream") or False
    if not isinstance(stream, bool):
        raise RequestError("`stream` must be true or false", "stream")
    options = body.get("stream_options") or {}
    if not isinstance(options, dict):
        raise RequestError("`stream_options` must be an object", "stream_options")
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise RequestError("`max_tokens` must be a positive integer", "max_tokens")
    stop = body.get("stop")
    if stop is None:
        stops: tuple[str, ...] = ()
    elif isinstance(stop, str):
        stops = (stop,)
    elif isinstance(stop, list) and all(isinstance(s, str) for s in stop):
        stops = tuple(stop)
    else:
        raise RequestError("`stop` must be a string or a list of strings", "stop")
    return {
        "model": model,
        "stream": stream,
        "include_usage": bool(options.get("include_usage", False)),
        "max_tokens": limit,
        "stop": tuple(s for s in stops if s),
        "key": json.dumps(body, sort_keys=True, ensure_ascii=False),
    }


def parse_chat(body: Any, default_model: str) -> SimRequest:
    if not isinstance(body, dict):
        raise RequestError("the request body must be a JSON object")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestError(
            '`messages` must be a non-empty list such as [{"role": "user", "content": "Hello"}]',
            "messages",
        )
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise RequestError(
                f"messages[{i}] must be an object with a string `role`", f"messages[{i}]"
            )
    response_format = body.get("response_format")
    if response_format is not None:
        if not isinstance(response_format, dict) or response_format.get("type") not in (
            "text",
            "json_object",
            "json_schema",
        ):
            raise RequestError(
                '`response_format` must be {"type": "text"}, {"type": "json_object"} or '
                '{"type": "json_schema", "json_schema": {"name": ..., "schema": {...}}}',
                "response_format",
            )
        if response_format["type"] == "json_schema":
            spec = response_format.get("json_schema")
            if not isinstance(spec, dict) or not isinstance(spec.get("schema", {}), dict):
                raise RequestError(
                    "`response_format.json_schema` must be an object with a `schema` object",
                    "response_format",
                )
    prompt = chat_prompt(messages)
    tokens = sum(count_tokens(content_text(m.get("content"))) + 1 for m in messages)
    return SimRequest(
        endpoint="chat",
        prompt=prompt,
        prompt_tokens=tokens,
        response_format=response_format,
        **_common(body, default_model),
    )


def parse_completion(body: Any, default_model: str) -> SimRequest:
    if not isinstance(body, dict):
        raise RequestError("the request body must be a JSON object")
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if not isinstance(prompt, str):
        raise RequestError(
            "`prompt` must be a string (or a list holding one string); the simulator does not "
            "take token ids or batches of prompts, so send one request per prompt",
            "prompt",
        )
    return SimRequest(
        endpoint="completions",
        prompt=prompt,
        prompt_tokens=count_tokens(prompt),
        **_common(body, default_model),
    )


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def chat_completion(
    rid: str, created: int, model: str, text: str, finish: str, use: dict[str, int]
) -> dict[str, Any]:
    return {
        "id": rid,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "system_fingerprint": FINGERPRINT,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": finish,
            }
        ],
        "usage": use,
    }


def chat_chunk(
    rid: str,
    created: int,
    model: str,
    *,
    delta: dict[str, Any] | None,
    finish: str | None = None,
    use: dict[str, int] | None = None,
    include_usage: bool = False,
) -> dict[str, Any]:
    chunk: dict[str, Any] = {
        "id": rid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "system_fingerprint": FINGERPRINT,
        "choices": []
        if delta is None
        else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    if include_usage:
        chunk["usage"] = use
    return chunk


def text_completion(
    rid: str,
    created: int,
    model: str,
    text: str | None,
    finish: str | None,
    use: dict[str, int] | None,
    *,
    include_usage: bool = True,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": rid,
        "object": "text_completion",
        "created": created,
        "model": model,
        "system_fingerprint": FINGERPRINT,
        "choices": []
        if text is None
        else [{"index": 0, "text": text, "logprobs": None, "finish_reason": finish}],
    }
    if include_usage:
        body["usage"] = use
    return body


def error_body(
    message: str, kind: str, *, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def sse(data: dict[str, Any] | str) -> bytes:
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f"data: {payload}\n\n".encode()
