"""Server-sent events read straight from the response: the data of each event, as text.

A streamed answer arrives as one event per token. The SDK's ``Stream`` builds a pydantic
``ChatCompletionChunk`` for each event (``construct_type`` walks the model's annotations every
time), which costs more CPU than the rest of a streamed call together: with many calls in
flight, the program's one interpreter lock is the bottleneck and the answers arrive late. The
few fields a streamed call needs (the text of choice 0, the model, the usage) are read from
the decoded JSON instead. Parsing follows the SSE format (``data:`` lines, joined with newlines
up to a blank line; ``:`` comments and other fields ignored); an event whose JSON carries
``error`` raises the SDK's ``APIError``, as the SDK's own stream does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import openai

DONE = "[DONE]"


def event_data(lines: Iterable[str]) -> Iterator[str]:
    """The data of each event in ``lines`` (the body split into lines, without line ends)."""
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
        # comments (":...") and the event, id and retry fields say nothing a chat stream needs
    if data:
        yield "\n".join(data)


def chunks(lines: Iterable[str], request: Any) -> Iterator[dict[str, Any]]:
    """The JSON object of each event up to ``[DONE]``; an ``error`` event raises ``APIError``
    (``request`` is the SDK request it names)."""
    for data in event_data(lines):
        if data.startswith(DONE):
            return
        chunk = json.loads(data)
        if not isinstance(chunk, dict):
            continue
        error = chunk.get("error")
        if error:
            message = error.get("message") if isinstance(error, dict) else None
            if not isinstance(message, str) or not message:
                message = "An error occurred during streaming"
            raise openai.APIError(message=message, request=request, body=error)
        yield chunk
