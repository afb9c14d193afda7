"""An OpenAI-compatible HTTP gateway that schedules calls by the program they belong to.

Clients talk to it exactly as to an engine. Each request is identified by opportune's headers
(``protocol``), enters the program-aware scheduler, waits in the gateway's own queues while every
backend is at its concurrency limit, and is then forwarded with vLLM's ``priority`` field so the
engine's own scheduler agrees. Responses (streamed or not) come back unchanged. A backend that
refuses, fails or stalls gives the caller an OpenAI-style error naming the backend and the cause,
so a program fails fast instead of hanging.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from opportune.serve._policy import Levels, policy_named
from opportune.serve._programs import Call
from opportune.serve._scheduler import DEFAULT_BETA, Scheduler
from opportune.serve.protocol import (
    CALL_HEADER,
    PARENTS_HEADER,
    PROGRAM_HEADER,
    THREAD_HEADER,
    HeaderError,
    identity_from_headers,
)

GATEWAY_POLICIES = ("fcfs", "mlfq", "plas", "atlas")
_HOP_HEADERS = {
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "proxy-connection",
    "te",
    "trailer",
    "accept-encoding",
    PROGRAM_HEADER.lower(),
    THREAD_HEADER.lower(),
    CALL_HEADER.lower(),
    PARENTS_HEADER.lower(),
}


def _error(status: int, message: str, kind: str, code: str) -> web.Response:
    body = {"error": {"message": message, "type": kind, "code": code, "param": None}}
    return web.json_response(body, status=status)


def normalise_backend(url: str) -> str:
    """``http://host:port`` or ``http://host:port/v1`` -> ``http://host:port`` (no slash)."""
    u = url.strip().rstrip("/")
    if not (u.startswith(("http://", "https://"))):
        raise ValueError(
            f"backend {url!r} is not an http(s) URL; pass the engine's base URL, for example "
            f"--backend http://127.0.0.1:8000/v1"
        )
    u = u.removesuffix("/v1")
    return u


@dataclass
class GatewayConfig:
    """How the gateway schedules and forwards. ``max_inflight`` is per backend."""

    backends: list[str]
    policy: str = "atlas"
    max_inflight: int = 64
    timeout_s: float = 600.0
    connect_timeout_s: float = 10.0
    forward_priority: bool = True
    quantum_s: float = 1.0
    levels: int = 10
    beta: float | None = DEFAULT_BETA
    program_ttl_s: float = 900.0
    housekeeping_s: float = 1.0

    def __post_init__(self) -> None:
        if not self.backends:
            raise ValueError("no backend given; pass at least one --backend URL of an engine")
        self.backends = [normalise_backend(b) for b in self.backends]
        if self.policy not in GATEWAY_POLICIES:
            raise ValueError(
                f"gateway policy {self.policy!r} is not available; choose one of "
                f"{', '.join(GATEWAY_POLICIES)} (srpt needs to know the future: simulator only)"
            )
        if self.max_inflight < 1:
            raise ValueError(f"max_inflight={self.max_inflight}: allow at least 1 call per backend")
        if not self.timeout_s > 0:
            raise ValueError(f"timeout={self.timeout_s}: the backend timeout must be positive")


@dataclass
class _Stats:
    requests: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    peak_queued: int = 0
    peak_inflight: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


class Gateway:
    """The gateway's state and its aiohttp application (``app()``)."""

    def __init__(self, config: GatewayConfig) -> None:
        self.config = config
        self.scheduler = Scheduler(
            policy_named(config.policy),
            engines=len(config.backends),
            levels=Levels(k=config.levels, quantum0=config.quantum_s),
            beta=config.beta,
        )
        self.inflight = [0] * len(config.backends)
        self.stats = _Stats()
        self._session: aiohttp.ClientSession | None = None
        self._housekeeper: asyncio.Task[None] | None = None
        self._t0 = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self._t0

    # -- application ------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024**2)
        app.router.add_post("/v1/chat/completions", self._handle_call)
        app.router.add_post("/v1/completions", self._handle_call)
        app.router.add_get("/v1/models", self._handle_models)
        app.router.add_get("/metrics", self._handle_metrics)
        app.router.add_get("/health", self._handle_health)
        app.on_startup.append(self._on_startup)
        app.on_cleanup.append(self._on_cleanup)
        return app

    async def _on_startup(self, app: web.Application) -> None:
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=self.config.connect_timeout_s, sock_read=self.config.timeout_s
        )
        connector = aiohttp.TCPConnector(limit=0, limit_per_host=0, force_close=False)
        self._session = aiohttp.ClientSession(timeout=timeout, connector=connector)
        self._housekeeper = asyncio.create_task(self._housekeeping())

    async def _on_cleanup(self, app: web.Application) -> None:
        if self._housekeeper is not None:
            self._housekeeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._housekeeper
        if self._session is not None:
            await self._session.close()

    async def _housekeeping(self) -> None:
        last_evict = 0.0
        while True:
            await asyncio.sleep(self.config.housekeeping_s)
            now = self.now()
            if self.scheduler.promote_starved(now):
                for engine in range(len(self.inflight)):
                    self._pump(engine)
            if now - last_evict >= 30.0:
                self.scheduler.table.evict_idle(now, self.config.program_ttl_s)
                last_evict = now

    # -- scheduling ---------------------------------------------------------------------------
    def _pump(self, engine: int) -> None:
        """Start waiting calls on ``engine`` while it has room."""
        limit = self.config.max_inflight
        while self.inflight[engine] < limit:
            call = self.scheduler.next_call(engine, self.now())
            if call is None:
                return
            future: asyncio.Future[None] = call.payload
            if future.done():
                # Its client went away after the wake-up was cancelled but before the handler
                # could withdraw the call: close it here so that it takes no slot.
                self.scheduler.complete(call, self.now(), ok=False)
                continue
            self.inflight[engine] += 1
            self.stats.peak_inflight = max(self.stats.peak_inflight, sum(self.inflight))
            future.set_result(None)

    def _finish(self, call: Call, started: float, *, ok: bool) -> None:
        now = self.now()
        self.scheduler.charge(call, now - started)
        self.scheduler.complete(call, now, ok=ok)
        self.inflight[call.engine] -= 1
        if ok:
            self.stats.completed += 1
        else:
            self.stats.failed += 1
        self._pump(call.engine)

    # -- handlers -------------------------------------------------------------------------------
    async def _handle_call(self, request: web.Request) -> web.StreamResponse:
        self.stats.requests += 1
        try:
            body = await request.json()
        except (ValueError, json.JSONDecodeError):
            body = None
        if not isinstance(body, dict):
            return _error(
                400,
                "request body is not a JSON object; send the OpenAI request as "
                "JSON with Content-Type: application/json",
                "invalid_request_error",
                "invalid_json",
            )
        try:
            ident = identity_from_headers(request.headers, fallback_call_id=self.stats.requests)
        except HeaderError as exc:
            return _error(400, str(exc), "invalid_request_error", "invalid_opportune_header")

        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        call = self.scheduler.submit(
            ident.program_id,
            self.now(),
            call_id=ident.call_id,
            thread_id=ident.thread_id,
            parents=ident.parents,
            prompt_tokens=_prompt_tokens(body),
            payload=future,
        )
        self.stats.peak_queued = max(self.stats.peak_queued, self.scheduler.waiting())
        self._pump(call.engine)
        try:
            await future
        except asyncio.CancelledError:
            # The client went away while the call waited: forget it; if it had just been
            # granted a slot, give the slot back.
            if future.done() and not future.cancelled():
                self._finish(call, self.now(), ok=False)
            else:
                self.scheduler.cancel(call, self.now())
            self.stats.cancelled += 1
            raise

        started = self.now()
        if self.config.forward_priority and "priority" not in body:
            body["priority"] = call.level
        ok = False
        try:
            response, ok = await self._forward(request, body, call)
            return response
        finally:
            self._finish(call, started, ok=ok)

    async def _forward(
        self, request: web.Request, body: dict[str, Any], call: Call
    ) -> tuple[web.StreamResponse, bool]:
        """Send the call to its backend; the response for the client and whether it succeeded."""
        assert self._session is not None
        backend = self.config.backends[call.engine]
        url = backend + request.path
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        headers["Content-Type"] = "application/json"
        try:
            async with self._session.post(url, json=body, headers=headers) as upstream:
                ctype = upstream.headers.get("Content-Type", "")
                if upstream.status >= 500:
                    text = (await upstream.text())[:500]
                    self._count(502)
                    return _error(
                        502,
                        f"backend {backend} answered HTTP {upstream.status}: {text!r}; the engine "
                        f"failed this call, check its logs",
                        "upstream_error",
                        "bad_gateway",
                    ), False
                if ctype.startswith("text/event-stream"):
                    return await self._relay_stream(request, upstream, backend)
                payload = await upstream.read()
                self._count(upstream.status)
                return web.Response(
                    status=upstream.status,
                    body=payload,
                    content_type=ctype.split(";")[0] or "application/json",
                ), upstream.status < 400
        except (TimeoutError, aiohttp.ServerTimeoutError):
            self._count(504)
            return _error(
                504,
                f"backend {backend} did not answer within {self.config.timeout_s:g}s; the engine "
                f"is overloaded or stuck (raise --timeout if calls are legitimately this slow)",
                "upstream_error",
                "gateway_timeout",
            ), False
        except aiohttp.ClientError as exc:
            self._count(502)
            return _error(
                502,
                f"backend {backend} failed: {type(exc).__name__}: {exc}; check that the engine "
                f"is running and reachable at that URL",
                "upstream_error",
                "bad_gateway",
            ), False

    async def _relay_stream(
        self, request: web.Request, upstream: aiohttp.ClientResponse, backend: str
    ) -> tuple[web.StreamResponse, bool]:
        response = web.StreamResponse(
            status=upstream.status,
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"},
        )
        await response.prepare(request)
        try:
            async for chunk in upstream.content.iter_any():
                await response.write(chunk)
        except (TimeoutError, aiohttp.ClientError) as exc:
            # Headers are gone already: report the failure in-band, as OpenAI streams do.
            cause = "timed out" if isinstance(exc, asyncio.TimeoutError) else f"failed: {exc}"
            err = {
                "error": {
                    "message": f"backend {backend} {cause} mid-stream",
                    "type": "upstream_error",
                    "code": "bad_gateway",
                    "param": None,
                }
            }
            await response.write(f"data: {json.dumps(err)}\n\n".encode())
            self._count(502)
            await response.write_eof()
            return response, False
        self._count(upstream.status)
        await response.write_eof()
        return response, upstream.status < 400

    def _count(self, status: int) -> None:
        key = str(status)
        self.stats.by_status[key] = self.stats.by_status.get(key, 0) + 1

    async def _handle_models(self, request: web.Request) -> web.Response:
        assert self._session is not None
        causes = []
        for backend in self.config.backends:
            try:
                async with self._session.get(backend + "/v1/models") as upstream:
                    payload = await upstream.read()
                    if upstream.status < 500:
                        return web.Response(
                            status=upstream.status, body=payload, content_type="application/json"
                        )
                    causes.append(f"{backend}: HTTP {upstream.status}")
            except (TimeoutError, aiohttp.ClientError) as exc:
                causes.append(f"{backend}: {type(exc).__name__}: {exc}")
        return _error(
            502,
            "no backend could list its models (" + "; ".join(causes) + ")",
            "upstream_error",
            "bad_gateway",
        )

    async def _handle_health(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def _handle_metrics(self, request: web.Request) -> web.Response:
        return web.json_response(self.metrics())

    def metrics(self) -> dict[str, Any]:
        """Per-program and per-backend state, for ``GET /metrics``."""
        sched = self.scheduler
        programs = {
            p.program_id: {
                "submitted": p.submitted,
                "completed": p.completed,
                "failed": p.failed,
                "active": p.active,
                "service_s": round(p.service, 6),
                "wait_s": round(p.wait, 6),
                "critical_path_s": round(p.critical, 6),
                "level": sched.levels.level_of(
                    sched.policy.entry_priority(p, Call(p, -1, 0, (), 0, 0.0))
                )
                if sched.policy.multilevel
                else 0,
                "engine": p.engine,
            }
            for p in sched.table
        }
        return {
            "policy": sched.policy.name,
            "backends": [
                {
                    "url": url,
                    "inflight": self.inflight[i],
                    "queued": sched.waiting(i),
                    "max_inflight": self.config.max_inflight,
                    "queued_by_level": sched.queues[i].lengths(),
                }
                for i, url in enumerate(self.config.backends)
            ],
            "totals": {
                "requests": self.stats.requests,
                "completed": self.stats.completed,
                "failed": self.stats.failed,
                "cancelled": self.stats.cancelled,
                "queued": sched.waiting(),
                "inflight": sum(self.inflight),
                "peak_queued": self.stats.peak_queued,
                "peak_inflight": self.stats.peak_inflight,
                "programs_tracked": len(sched.table),
                "active_programs": sched.table.active_programs,
                "peak_active_programs": sched.table.peak_active,
                "demotions": sched.demotions,
                "promotions": sched.promotions,
                "responses_by_status": dict(self.stats.by_status),
            },
            "programs": programs,
        }


def _prompt_tokens(body: dict[str, Any]) -> int:
    """A cheap prompt-length estimate (4 characters a token) for load balancing."""
    chars = 0
    messages = body.get("messages")
    if isinstance(messages, list):
        for m in messages:
            content = m.get("content") if isinstance(m, dict) else None
            if isinstance(content, str):
                chars += len(content)
            elif isinstance(content, list):
                chars += sum(
                    len(str(part.get("text", ""))) for part in content if isinstance(part, dict)
                )
    prompt = body.get("prompt")
    if isinstance(prompt, str):
        chars += len(prompt)
    elif isinstance(prompt, list):
        chars += sum(len(p) for p in prompt if isinstance(p, str))
    return chars // 4


async def serve_gateway(config: GatewayConfig, host: str, port: int, *, ready=None) -> None:  # type: ignore[no-untyped-def]
    """Run the gateway until cancelled."""
    gateway = Gateway(config)
    # Cancel a handler whose client hung up, so a call nobody waits for leaves the queue.
    runner = web.AppRunner(gateway.app(), access_log=None, handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=4096)
    await site.start()
    if ready is not None:
        ready(gateway, runner)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
