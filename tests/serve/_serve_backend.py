"""A tiny real OpenAI-compatible engine on loopback, for testing the gateway.

It answers chat completions and completions (streamed or not) after a configurable delay, can
fail in chosen ways, and records what it received (bodies, headers, peak concurrency) so tests
can assert on what the gateway actually sent. Run it in a thread (``ServerThread``) or as a
process: ``python tests/serve/_serve_backend.py --port 8123 --delay 0.01``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web


@dataclass
class BackendState:
    delay_s: float = 0.0
    mode: str = "ok"  # ok | error500 | hang | drop | stream_drop
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    inflight: int = 0
    peak_inflight: int = 0
    record: bool = True
    gate: asyncio.Event | None = None  # when set up, every answer waits until POST /control/release


def _completion(body: dict[str, Any], chat: bool) -> dict[str, Any]:
    if chat:
        text = "echo: " + str((body.get("messages") or [{}])[-1].get("content", ""))
        choice = {
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": text},
        }
        obj = "chat.completion"
    else:
        text = "echo: " + str(body.get("prompt", ""))
        choice = {"index": 0, "finish_reason": "stop", "text": text, "logprobs": None}
        obj = "text_completion"
    return {
        "id": "cmpl-test",
        "object": obj,
        "created": int(time.time()),
        "model": body.get("model", "test-model"),
        "choices": [choice],
        "usage": {
            "prompt_tokens": 3,
            "completion_tokens": len(text.split()),
            "total_tokens": 3 + len(text.split()),
        },
    }


def make_app(state: BackendState) -> web.Application:
    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        if state.record:
            state.received.append(body)
            state.headers.append(dict(request.headers))
        state.inflight += 1
        state.peak_inflight = max(state.peak_inflight, state.inflight)
        try:
            if state.mode == "hang":
                await asyncio.sleep(3600)
            if state.gate is not None:
                await state.gate.wait()
            await asyncio.sleep(state.delay_s)
            if state.mode == "error500":
                return web.json_response({"error": {"message": "engine exploded"}}, status=500)
            if state.mode == "drop":
                assert request.transport is not None
                request.transport.close()
                return web.Response()
            chat = request.path.endswith("/chat/completions")
            full = _completion(body, chat)
            if not body.get("stream"):
                return web.json_response(full)
            resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
            await resp.prepare(request)
            text = full["choices"][0]["message"]["content"] if chat else full["choices"][0]["text"]
            words = text.split(" ")
            for i, word in enumerate(words):
                piece = word if i == 0 else " " + word
                delta = (
                    {"delta": {"content": piece, **({"role": "assistant"} if i == 0 else {})}}
                    if chat
                    else {"text": piece}
                )
                chunk = {
                    "id": "cmpl-test",
                    "object": "chat.completion.chunk" if chat else "text_completion",
                    "created": full["created"],
                    "model": full["model"],
                    "choices": [{"index": 0, "finish_reason": None, **delta}],
                }
                await resp.write(f"data: {json.dumps(chunk)}\n\n".encode())
                if state.mode == "stream_drop" and i == 0:
                    assert request.transport is not None
                    request.transport.close()
                    return resp
            last = {
                "id": "cmpl-test",
                "object": "chat.completion.chunk" if chat else "text_completion",
                "created": full["created"],
                "model": full["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        **({"delta": {}} if chat else {"text": ""}),
                    }
                ],
            }
            await resp.write(f"data: {json.dumps(last)}\n\n".encode())
            await resp.write(b"data: [DONE]\n\n")
            await resp.write_eof()
            return resp
        finally:
            state.inflight -= 1

    async def models(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "object": "list",
                "data": [{"id": "test-model", "object": "model", "created": 0, "owned_by": "test"}],
            }
        )

    async def release(request: web.Request) -> web.Response:
        if state.gate is not None:
            state.gate.set()
        return web.json_response({"released": True, "inflight": state.inflight})

    async def on_startup(app: web.Application) -> None:
        if state.gate is True:  # type: ignore[comparison-overlap]
            state.gate = asyncio.Event()

    app = web.Application()
    app.on_startup.append(on_startup)
    app.router.add_post("/control/release", release)
    app.router.add_post("/v1/chat/completions", handle)
    app.router.add_post("/v1/completions", handle)
    app.router.add_get("/v1/models", models)
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerThread:
    """Runs an aiohttp application on loopback in a thread of its own with its own loop."""

    def __init__(self, app_factory, port: int | None = None) -> None:  # type: ignore[no-untyped-def]
        self.port = port or free_port()
        self._factory = app_factory
        self._ready = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self.loop = loop
        runner = web.AppRunner(self._factory(), access_log=None, handler_cancellation=True)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port, backlog=4096).start())
        self._runner = runner
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    def __enter__(self) -> Self:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("test server did not start within 10 s")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.loop is not None
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument(
        "--gate", action="store_true", help="hold every answer until /control/release"
    )
    args = parser.parse_args()
    state = BackendState(delay_s=args.delay, record=False)
    if args.gate:
        state.gate = True  # type: ignore[assignment]  # made an Event inside the server's loop
    web.run_app(
        make_app(state),
        host="127.0.0.1",
        port=args.port,
        access_log=None,
        print=lambda *a: print("ready", flush=True),
        backlog=4096,
    )


if __name__ == "__main__":
    main()
