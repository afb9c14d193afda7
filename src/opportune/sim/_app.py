"""The HTTP application: OpenAI-compatible endpoints with the capacity model's timing.

One request goes through the same steps as at a hosted API: rate limit, (injected) failure,
queueing for a decoding slot, then tokens at the model's pace. Every step is written into the
schedule as it happens, so ``/sim/log`` shows exactly what the server did.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from opportune.sim._answers import Answer, ResponseModel
from opportune.sim._capacity import FaultPlan, RateLimiter, Slots
from opportune.sim._config import SimConfig
from opportune.sim._gates import Gate, Gates
from opportune.sim._protocol import (
    RequestError,
    SimRequest,
    chat_chunk,
    chat_completion,
    error_body,
    parse_chat,
    parse_completion,
    sse,
    text_completion,
    usage,
)
from opportune.sim._schedule import Schedule, ScheduleEntry
from opportune.sim._schema import SchemaAnswerError
from opportune.sim._tokens import pieces as token_pieces

NOT_A_MODEL = "latency simulator, not a language model"
ROUTES = ("/v1/chat/completions, /v1/completions, /v1/models, /sim/log, /sim/reset, "
          "/sim/gates")


def describe(config: SimConfig, base_url: str) -> str:
    """The start-up line: what this server is, where, and how fast it pretends to be."""
    parts = [
        f"ttft {config.ttft:g} s",
        f"{config.tpot * 1000:g} ms/token",
        f"{config.slots} slots",
    ]
    if config.rpm is not None:
        parts.append(f"{config.rpm} requests per {config.rpm_window:g} s")
    if config.fail_rate or config.drop_rate:
        parts.append(
            f"faults: {config.fail_rate:.0%} errors, {config.drop_rate:.0%} drops (seed {config.seed})"
        )
    return (
        f"opportune sim: a {NOT_A_MODEL}. OpenAI-compatible API at {base_url} "
        f"(model {config.model!r}; {', '.join(parts)})"
    )


def shape(text: str, max_tokens: int | None, stops: tuple[str, ...]) -> tuple[list[str], str]:
    """Cut an answer at the first stop sequence and at ``max_tokens``; say why it ended."""
    cut = min((i for i in (text.find(s) for s in stops) if i >= 0), default=-1)
    if cut >= 0:
        text = text[:cut]
    parts = token_pieces(text)
    if max_tokens is not None and len(parts) > max_tokens:
        return parts[:max_tokens], "length"
    return parts, "stop"


def _json_error(
    status: int,
    message: str,
    kind: str,
    *,
    param: str | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    return web.json_response(
        error_body(message, kind, param=param, code=code), status=status, headers=headers
    )


class SimState:
    """Everything one running simulator holds: config, answers, slots, limits, the schedule."""

    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.answers = ResponseModel(config)
        self.slots = Slots(config.slots)
        self.limiter = RateLimiter(config.rpm, config.rpm_window)
        self.faults = FaultPlan(
            seed=config.seed,
            fail_rate=config.fail_rate,
            drop_rate=config.drop_rate,
            statuses=config.fail_statuses,
            limit=config.fault_limit,
        )
        self.schedule = Schedule(config.log_limit)
        self.gates = Gates()
        self.t0 = time.monotonic()
        self.started_unix = time.time()

    def now(self) -> float:
        return time.monotonic() - self.t0

    async def sleep_until(self, when: float) -> None:
        delay = when - self.now()
        if delay > 0:
            await asyncio.sleep(delay)

    def reset(self) -> None:
        self.schedule.clear()
        self.limiter.reset()
        self.faults.reset()

    def timing(self, answer: Answer, tokens: int) -> tuple[float, float]:
        """Time to first token and per further token for this answer."""
        ttft, tpot = self.config.ttft, self.config.tpot
        if answer.latency is not None:
            ttft = answer.ttft if answer.ttft is not None else min(ttft, answer.latency)
            tpot = (answer.latency - ttft) / (tokens - 1) if tokens > 1 else 0.0
        elif answer.ttft is not None:
            ttft = answer.ttft
        return ttft, tpot

    # ---- handlers -------------------------------------------------------------------------

    async def chat(self, request: web.Request) -> web.StreamResponse:
        return await self._generate(request, parse_chat)

    async def completions(self, request: web.Request) -> web.StreamResponse:
        return await self._generate(request, parse_completion)

    async def models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [self._model(self.config.model)]})

    async def model(self, request: web.Request) -> web.Response:
        return web.json_response(self._model(request.match_info["model"]))

    def _model(self, name: str) -> dict[str, Any]:
        c = self.config
        return {
            "id": name,
            "object": "model",
            "created": int(self.started_unix),
            "owned_by": "opportune-sim",
            "description": (
                f"opportune {NOT_A_MODEL}: answers come from configured rules, a replayed call "
                f"log, schema instances or a default text; timing from a capacity model "
                f"(ttft {c.ttft:g} s, {c.tpot * 1000:g} ms/token, {c.slots} slots)"
            ),
        }

    async def log(self, request: web.Request) -> web.Response:
        c = self.config
        return web.json_response(
            {
                "simulator": f"opportune {NOT_A_MODEL}",
                "clock": "seconds since the server started (monotonic)",
                "started_unix": self.started_unix,
                "now": self.now(),
                "config": c.model_dump(mode="json", exclude={"rules", "replay"})
                | {"rules": len(c.rules), "replay": len(c.replay)},
                "slots": {
                    "size": self.slots.size,
                    "busy": self.slots.busy,
                    "waiting": self.slots.waiting,
                },
                "requests": [e.as_dict() for e in self.schedule.snapshot()],
            }
        )

    async def reset_handler(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"reset": True})

    async def arm_gates(self, request: web.Request) -> web.Response:
        """``POST /sim/gates`` with ``{"gates": [...]}``: hold requests until their group is in
        flight together (see ``opportune.sim._gates``); tests only."""
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        raw = body.get("gates") if isinstance(body, dict) else None
        if not isinstance(raw, list) or not raw:
            return _json_error(
                400, 'send {"gates": [{"pattern": ..., "count": ...}, ...]} with at least one gate',
                "invalid_request_error", param="gates")
        gates: list[Gate] = []
        problems: list[str] = []
        for i, item in enumerate(raw):
            try:
                gates.append(Gate.model_validate(item))
            except ValidationError as exc:
                problems += [
                    f"gates[{i}].{'.'.join(str(p) for p in err['loc']) or '(gate)'}: {err['msg']}"
                    for err in exc.errors()
                ]
        if problems:
            return _json_error(400, f"invalid gate: {'; '.join(problems)}",
                               "invalid_request_error", param="gates")
        try:
            self.gates.arm(gates)
        except ValueError as exc:
            return _json_error(409, str(exc), "invalid_request_error", param="gates")
        return web.json_response({"armed": len(gates)})

    async def disarm_gates(self, request: web.Request) -> web.Response:
        """``DELETE /sim/gates``: forget the gates and report what each saw."""
        return web.json_response({"gates": self.gates.disarm()})

    async def root(self, request: web.Request) -> web.Response:
        return web.Response(text=describe(self.config, f"{request.url.origin()}/v1") + "\n")

    # ---- one generation -------------------------------------------------------------------

    async def _generate(
        self, request: web.Request, parse: Callable[[Any, str], SimRequest]
    ) -> web.StreamResponse:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _json_error(
                400,
                "the request body is not valid JSON; send a JSON object",
                "invalid_request_error",
            )
        # Arrival is when the whole request is in: a slow client's body is not queueing.
        arrival = self.now()
        try:
            req = parse(body, self.config.model)
        except RequestError as exc:
            return _json_error(400, str(exc), "invalid_request_error", param=exc.param)
        entry = self.schedule.open(
            endpoint=req.endpoint,
            model=req.model,
            stream=req.stream,
            arrival=arrival,
            prompt_tokens=req.prompt_tokens,
        )
        retry = self.limiter.admit(arrival)
        if retry is not None:
            entry.status, entry.fault, entry.end = 429, "rate limited", self.now()
            return _json_error(
                429,
                f"Rate limit reached for {req.model}: {self.config.rpm} requests per "
                f"{self.config.rpm_window:g} s (simulated); retry after {retry:.3f} s",
                "requests",
                code="rate_limit_exceeded",
                headers={
                    "Retry-After": str(max(1, math.ceil(retry))),
                    "retry-after-ms": str(max(1, math.ceil(retry * 1000))),
                    "x-ratelimit-limit-requests": str(self.config.rpm),
                    "x-ratelimit-remaining-requests": "0",
                },
            )
        fault = self.faults.decide(req.key)
        if fault is not None and fault.kind == "status":
            entry.status, entry.fault, entry.end = fault.status, fault.describe(), self.now()
            return _json_error(
                fault.status,
                f"simulated server error {fault.status} (fault injection, seed "
                f"{self.config.seed}); retrying the same request may succeed",
                "server_error",
            )
        try:
            answer = self.answers.answer(req.prompt, req.response_format)
        except SchemaAnswerError as exc:
            entry.status, entry.end = 400, self.now()
            return _json_error(400, str(exc), "invalid_request_error", param="response_format")
        parts, finish = shape(answer.text, req.max_tokens, req.stop)
        entry.source, entry.completion_tokens = answer.source, len(parts)
        ttft, tpot = self.timing(answer, len(parts))
        gate = self.gates.find(req.prompt) if self.gates.armed else None
        if gate is not None:
            entry.gate = gate.gate.label
            problem = await self.gates.hold(gate)
            if problem is not None:
                entry.status, entry.end = 400, self.now()
                return _json_error(400, problem, "invalid_request_error", code="gate_timeout")

        slot, queued = await self.slots.acquire()
        start = self.now()
        entry.slot, entry.queued, entry.start = slot, queued, start
        drop = fault is not None and fault.kind == "drop"
        if drop:
            entry.status, entry.fault = 0, fault.describe() if fault else None
        try:
            if req.stream:
                return await self._stream(
                    request, req, entry, parts, finish, start, ttft, tpot, drop
                )
            first = start + ttft
            last = first + max(len(parts) - 1, 0) * tpot
            if drop:
                await self.sleep_until(first)
                return self._drop(request, entry)
            await self.sleep_until(last)
            entry.first_token, entry.last_token = first, self.now()
            return web.json_response(
                self._whole(req, entry, "".join(parts), finish), headers=self._headers()
            )
        finally:
            self.slots.release(slot)
            entry.end = self.now()

    def _headers(self) -> dict[str, str]:
        headers = {"x-opportune-sim": NOT_A_MODEL}
        if self.config.rpm is not None:
            headers["x-ratelimit-limit-requests"] = str(self.config.rpm)
            headers["x-ratelimit-remaining-requests"] = str(self.limiter.remaining())
        return headers

    def _ids(self, req: SimRequest, entry: ScheduleEntry) -> tuple[str, int]:
        prefix = "chatcmpl" if req.endpoint == "chat" else "cmpl"
        return f"{prefix}-sim{entry.id}", int(self.started_unix + entry.arrival)

    def _whole(self, req: SimRequest, entry: ScheduleEntry, text: str, finish: str) -> Any:
        rid, created = self._ids(req, entry)
        use = usage(req.prompt_tokens, entry.completion_tokens)
        if req.endpoint == "chat":
            return chat_completion(rid, created, req.model, text, finish, use)
        return text_completion(rid, created, req.model, text, finish, use)

    def _drop(self, request: web.Request, entry: ScheduleEntry) -> web.StreamResponse:
        """Close the connection without finishing the answer, as a crashed upstream would."""
        if request.transport is not None:
            request.transport.abort()
        entry.end = self.now()
        raise asyncio.CancelledError  # aiohttp ends a handler that is cancelled silently

    async def _stream(
        self,
        request: web.Request,
        req: SimRequest,
        entry: ScheduleEntry,
        parts: list[str],
        finish: str,
        start: float,
        ttft: float,
        tpot: float,
        drop: bool,
    ) -> web.StreamResponse:
        rid, created = self._ids(req, entry)
        chat = req.endpoint == "chat"
        inc = req.include_usage
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                **self._headers(),
            }
        )
        drop_after = max(1, len(parts) // 2) if drop else None

        def chunk(text: str | None, end: str | None, first: bool) -> dict[str, Any]:
            if chat:
                delta: dict[str, Any] | None = (
                    None
                    if text is None
                    else ({"role": "assistant", "content": text} if first else {"content": text})
                )
                if end is not None:
                    delta = {}
                return chat_chunk(
                    rid, created, req.model, delta=delta, finish=end, include_usage=inc
                )
            return text_completion(
                rid, created, req.model, "" if text is None else text, end, None, include_usage=inc
            )

        await self.sleep_until(start + ttft)
        try:
            await response.prepare(request)
            for i, piece in enumerate(parts or [""]):
                await self.sleep_until(start + ttft + i * tpot)
                await response.write(sse(chunk(piece, None, i == 0)))
                now = self.now()
                if i == 0:
                    entry.first_token = now
                entry.last_token = now
                if drop_after is not None and i + 1 >= drop_after:
                    return self._drop(request, entry)
            await response.write(sse(chunk(None, finish, False)))
            if inc:
                use = usage(req.prompt_tokens, entry.completion_tokens)
                if chat:
                    final = chat_chunk(
                        rid, created, req.model, delta=None, use=use, include_usage=True
                    )
                else:
                    final = text_completion(rid, created, req.model, None, None, use)
                await response.write(sse(final))
            await response.write(sse("[DONE]"))
            await response.write_eof()
        except ConnectionError:
            entry.status, entry.fault = 499, "client disconnected"
        return response


@web.middleware
async def _json_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Answer unknown paths and methods in OpenAI's error shape, naming what exists."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return _json_error(
            404,
            f"no endpoint at {request.path}; the simulator serves {ROUTES}",
            "invalid_request_error",
        )
    except web.HTTPMethodNotAllowed as exc:
        return _json_error(
            405,
            f"{request.method} is not allowed on {request.path}; use "
            f"{', '.join(sorted(exc.allowed_methods))}",
            "invalid_request_error",
        )


def build_app(config: SimConfig) -> tuple[web.Application, SimState]:
    state = SimState(config)
    app = web.Application(middlewares=[_json_errors], client_max_size=64 * 1024**2)
    app.router.add_post("/v1/chat/completions", state.chat)
    app.router.add_post("/v1/completions", state.completions)
    app.router.add_get("/v1/models", state.models)
    app.router.add_get("/v1/models/{model}", state.model)
    app.router.add_get("/sim/log", state.log)
    app.router.add_post("/sim/reset", state.reset_handler)
    app.router.add_post("/sim/gates", state.arm_gates)
    app.router.add_delete("/sim/gates", state.disarm_gates)
    app.router.add_get("/", state.root)
    return app, state
