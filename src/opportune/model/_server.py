"""An OpenAI-compatible HTTP server around one ``llama_cpp.Llama``, on loopback.

llama.cpp runs one generation at a time, so the model lives on a single engine thread that takes
requests from a :class:`FairQueue`; aiohttp handlers only parse, enqueue and relay. Streaming
requests (``stream=true``) are relayed chunk by chunk as server-sent events, the format the
``openai`` SDK reads. A client that disconnects has its request dropped, or stopped mid-stream.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from opportune.model._locate import MODEL_NAME
from opportune.model._queue import FairQueue

_log = logging.getLogger("opportune.model")

# The program id header of opportune.serve.protocol, spelled here so the model server does not
# depend on the serving layer.
PROGRAM_HEADER = "X-Opportune-Program"

DEFAULT_MAX_TOKENS = 512
DEFAULT_CONTEXT = 2048
# Sampling options passed through to llama.cpp; anything else in a request is ignored, the way
# hosted endpoints ignore options a model does not support.
_SAMPLING = ("temperature", "top_p", "top_k", "min_p", "stop", "seed", "presence_penalty",
             "frequency_penalty", "repeat_penalty")


THREADS_ENV = "OPPORTUNE_MODEL_THREADS"


def default_threads() -> int:
    """Half the cores (1 to 8), or ``OPPORTUNE_MODEL_THREADS``.

    llama.cpp's threads wait for each other by spinning; on a machine whose cores are busy with
    other work, a thread per core makes generation many times slower (on 2 shared cores, 48
    tokens took 13-25 s with 2 threads and 2 s with 1), while a 135M model gains little from more
    than a few threads anyway.
    """
    raw = os.environ.get(THREADS_ENV, "").strip()
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            raise ValueError(f"{THREADS_ENV} must be a positive integer, got {raw!r}")
        return int(raw)
    return max(1, min(8, (os.cpu_count() or 2) // 2))


class RequestError(ValueError):
    """A request the server refuses with HTTP 400; the message says what to change."""


class _Job:
    __slots__ = ("cancelled", "run")

    def __init__(self, run: Callable[[], None]) -> None:
        self.run = run
        self.cancelled = False


class Engine:
    """The model and the single thread that runs it, fed by a fair queue."""

    def __init__(self, llama: Any) -> None:
        self.llama = llama
        self.queue: FairQueue[_Job] = FairQueue()
        self.served = 0
        self._thread = threading.Thread(target=self._loop, name="opportune-model", daemon=True)

    @classmethod
    def load(cls, gguf: Path, *, n_ctx: int = DEFAULT_CONTEXT, n_threads: int | None = None) -> Engine:
        from llama_cpp import Llama

        llama = Llama(model_path=str(gguf), n_ctx=n_ctx, n_threads=n_threads or default_threads(),
                      verbose=False)
        return cls(llama)


    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.queue.close()
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        while (job := self.queue.get()) is not None:
            if not job.cancelled:
                job.run()
                self.served += 1


def _threadsafe(loop: asyncio.AbstractEventLoop, fn: Callable[..., None], *args: Any) -> None:
    try:
        loop.call_soon_threadsafe(fn, *args)
    except RuntimeError:  # the loop has closed: the server is stopping, nobody is waiting
        pass


def _settle(fut: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if fut.done():
        return
    if error is not None:
        fut.set_exception(error)
    else:
        fut.set_result(result)


def _error(status: int, message: str, kind: str = "invalid_request_error") -> web.Response:
    return web.json_response({"error": {"message": message, "type": kind, "code": status}},
                             status=status)


def _sampling(body: dict[str, Any]) -> dict[str, Any]:
    if body.get("n", 1) != 1:
        raise RequestError("the embedded model returns one choice per request; leave out n")
    options = {k: body[k] for k in _SAMPLING if body.get(k) is not None}
    max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
    if max_tokens is None:
        max_tokens = DEFAULT_MAX_TOKENS
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        raise RequestError(f"max_tokens must be a positive integer, got {max_tokens!r}")
    options["max_tokens"] = max_tokens
    return options


class ModelServer:
    """The aiohttp application: routes, request validation and the relay to the engine."""

    def __init__(self, engine: Engine, *, gguf: Path | None = None) -> None:
        self.engine = engine
        self.gguf = gguf
        self.app = web.Application(client_max_size=16 * 1024 * 1024)
        self.app.add_routes([
            web.get("/health", self.health),
            web.get("/v1/models", self.models),
            web.post("/v1/chat/completions", self.chat_completions),
            web.post("/v1/completions", self.completions),
        ])

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({
            "status": "ok", "model": MODEL_NAME, "gguf": str(self.gguf) if self.gguf else None,
            "pid": os.getpid(), "queued": len(self.engine.queue), "served": self.engine.served,
        })

    async def models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [
            {"id": MODEL_NAME, "object": "model", "created": 0, "owned_by": "opportune-embedded"}
        ]})

    async def _body(self, request: web.Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise RequestError(f"the request body is not valid JSON ({exc})") from None
        if not isinstance(body, dict):
            raise RequestError("the request body must be a JSON object")
        return body

    def _lane(self, request: web.Request) -> str:
        return request.headers.get(PROGRAM_HEADER) or f"anonymous-{uuid.uuid4().hex}"

    async def chat_completions(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await self._body(request)
            messages = body.get("messages")
            if not isinstance(messages, list) or not messages:
                raise RequestError("messages must be a non-empty list of {role, content} objects")
            options = _sampling(body)
            if body.get("response_format") is not None:
                options["response_format"] = body["response_format"]
        except RequestError as exc:
            return _error(400, str(exc))
        llama = self.engine.llama
        stream = bool(body.get("stream"))

        def generate() -> Any:
            return llama.create_chat_completion(messages=messages, stream=stream, **options)

        return await self._relay(request, generate, stream)

    async def completions(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await self._body(request)
            prompt = body.get("prompt")
            if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
                prompt = prompt[0]
            if not isinstance(prompt, str):
                raise RequestError("prompt must be a string (one prompt per request)")
            options = _sampling(body)
        except RequestError as exc:
            return _error(400, str(exc))
        llama = self.engine.llama
        stream = bool(body.get("stream"))

        def generate() -> Any:
            return llama.create_completion(prompt=prompt, stream=stream, **options)

        return await self._relay(request, generate, stream)

    async def _relay(self, request: web.Request, generate: Callable[[], Any],
                     stream: bool) -> web.StreamResponse:
        loop = asyncio.get_running_loop()
        items: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

        def put(kind: str, value: Any) -> None:
            _threadsafe(loop, items.put_nowait, (kind, value))

        def run() -> None:
            try:
                result = generate()
                if not stream:
                    put("result", result)
                    return
                for chunk in result:
                    if job.cancelled:
                        break
                    put("chunk", chunk)
                put("done", None)
            except Exception as exc:  # noqa: BLE001 - relayed to the client as an HTTP error
                put("error", exc)

        job = _Job(run)
        self.engine.queue.put(self._lane(request), job)
        response: web.StreamResponse | None = None
        try:
            kind, value = await items.get()
            if kind == "error":
                status = 400 if isinstance(value, ValueError) else 500
                return _error(status, f"the embedded model failed: {value}",
                              "invalid_request_error" if status == 400 else "server_error")
            if kind == "result":
                value["model"] = MODEL_NAME
                return web.json_response(value)
            response = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                                   "Cache-Control": "no-cache"})
            await response.prepare(request)
            while kind == "chunk":
                value["model"] = MODEL_NAME
                await response.write(f"data: {json.dumps(value)}\n\n".encode())
                kind, value = await items.get()
            if kind == "error":
                payload = {"error": {"message": f"the embedded model failed: {value}",
                                     "type": "server_error"}}
                await response.write(f"data: {json.dumps(payload)}\n\n".encode())
            await response.write(b"data: [DONE]\n\n")
            await response.write_eof()
            return response
        finally:
            job.cancelled = True  # no effect once finished; stops a stream nobody reads


async def run_server(engine: Engine, *, host: str, port: int, gguf: Path | None,
                     on_ready: Callable[[str], None], stop: asyncio.Event | None = None) -> None:
    """Serve until ``stop`` is set (or forever); ``on_ready`` gets the base URL once listening."""
    server = ModelServer(engine, gguf=gguf)
    # handler_cancellation: a client that gives up (timeout, Ctrl-C) has its queued job dropped
    runner = web.AppRunner(server.app, access_log=None, handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, host=host, port=port)
    await site.start()
    bound_port = runner.addresses[0][1]
    on_ready(f"http://{host}:{bound_port}/v1")
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await runner.cleanup()
