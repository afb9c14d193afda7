"""A scripted OpenAI-compatible server on loopback, for driving the real SDK through failures.

Each test queues what the next requests get (an HTTP error with headers, a dropped connection, a
delay); requests beyond the script are answered normally. Every request is recorded with its
headers and body, so tests assert on what the client actually sent.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from opportune.llm import clear_usage_log, close_clients


@dataclass
class Seen:
    """One request as received; header names are lower-cased."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Loopback:
    base_url: str = ""
    models: list[str] = field(default_factory=lambda: ["loopback-model"])
    script: deque[tuple[str, Any]] = field(default_factory=deque)
    seen: list[Seen] = field(default_factory=list)

    def fail(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.script.append(("status", (status, headers or {})))

    def drop(self) -> None:
        self.script.append(("drop", None))

    def delay(self, seconds: float) -> None:
        self.script.append(("delay", seconds))

    def stream_error(self, message: str) -> None:
        """A streamed answer whose first word is followed by an SSE ``error`` event."""
        self.script.append(("stream_error", message))

    def stream_raw(self, body: bytes) -> None:
        """A streamed answer whose body is exactly ``body`` (to test the SSE parsing)."""
        self.script.append(("stream_raw", body))

    def chat_requests(self) -> list[Seen]:
        return [s for s in self.seen if s.path.endswith("/chat/completions")]


LOOPBACK: web.AppKey[Loopback] = web.AppKey("loopback", Loopback)


def _answer(body: dict[str, Any]) -> str:
    last = body["messages"][-1]["content"]
    return f"echo: {last}"


async def _chat(request: web.Request) -> web.StreamResponse:
    server: Loopback = request.app[LOOPBACK]
    body = await request.json()
    server.seen.append(Seen(request.path, {k.lower(): v for k, v in request.headers.items()}, body))
    if server.script:
        kind, arg = server.script.popleft()
        if kind == "status":
            status, headers = arg
            return web.json_response({"error": {"message": f"scripted {status}", "type": "x"}},
                                     status=status, headers=headers)
        if kind == "drop":
            assert request.transport is not None
            request.transport.close()
            await asyncio.sleep(0.05)
            return web.Response(status=599)
        if kind == "delay":
            await asyncio.sleep(arg)
        if kind in ("stream_error", "stream_raw"):
            response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
            await response.prepare(request)
            if kind == "stream_raw":
                await response.write(arg)
                return response
            first = {"id": "c1", "object": "chat.completion.chunk", "created": 0,
                     "model": body["model"],
                     "choices": [{"index": 0, "delta": {"content": "partial"},
                                  "finish_reason": None}]}
            await response.write(f"data: {json.dumps(first)}\n\n".encode())
            error = {"error": {"message": arg, "type": "server_error"}}
            await response.write(f"data: {json.dumps(error)}\n\n".encode())
            return response
    text = _answer(body)
    words = text.split(" ")
    if body.get("stream"):
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for i, word in enumerate(words):
            piece = word if i == 0 else " " + word
            chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0,
                     "model": body["model"],
                     "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            await response.write(f"data: {json.dumps(chunk)}\n\n".encode())
        await response.write(b"data: [DONE]\n\n")
        return response
    prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body["messages"])
    return web.json_response({
        "id": f"chatcmpl-{len(server.seen)}", "object": "chat.completion",
        "created": int(time.time()), "model": body["model"],
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(words),
                  "total_tokens": prompt_tokens + len(words)},
    })


async def _models(request: web.Request) -> web.Response:
    server: Loopback = request.app[LOOPBACK]
    server.seen.append(Seen(request.path, {k.lower(): v for k, v in request.headers.items()}, {}))
    return web.json_response({"object": "list", "data": [
        {"id": m, "object": "model", "created": 0, "owned_by": "test"} for m in server.models]})


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    server = Loopback()
    app = web.Application()
    app[LOOPBACK] = server
    app.add_routes([web.post("/v1/chat/completions", _chat), web.get("/v1/models", _models)])
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app, access_log=None)
    started = threading.Event()
    stop: asyncio.Event | None = None

    async def main() -> None:
        nonlocal stop
        stop = asyncio.Event()
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        server.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
        started.set()
        await stop.wait()
        await runner.cleanup()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert started.wait(10), "the loopback server did not start"
    try:
        yield server
    finally:
        assert stop is not None
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[Any]:
    """No ambient configuration: a fresh directory, no endpoint variables, empty usage log."""
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "OPPORTUNE_MODEL", "OPPORTUNE_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    clear_usage_log()
    yield tmp_path
    close_clients()


@pytest.fixture
def endpoint(loopback: Loopback, monkeypatch: pytest.MonkeyPatch) -> Loopback:
    """The loopback server configured through the environment, as a user would."""
    monkeypatch.setenv("OPENAI_BASE_URL", loopback.base_url)
    monkeypatch.setenv("OPPORTUNE_MODEL", "loopback-model")
    return loopback
