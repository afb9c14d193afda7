"""Running the simulator: in a background thread for tests and benchmarks, or in the foreground.

Tests and benchmarks want a real HTTP server on loopback without managing processes, and they
often run it next to synchronous code, so :class:`SimServer` gives the server a thread and an
event loop of its own. The socket is bound before the thread starts, so ``base_url`` is known
(and a busy port is reported) at ``start()``, never after a race.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from opportune.sim._app import SimState, build_app, describe
from opportune.sim._config import SimConfig, SimConfigError
from opportune.sim._gates import Gate, SimGateError, not_opened
from opportune.sim._schedule import ScheduleEntry


class SimServer:
    """A latency-modelled OpenAI-compatible server on loopback.

    >>> with SimServer(SimConfig(ttft=0.01, tpot=0.001, slots=4)) as sim:
    ...     client = openai.OpenAI(base_url=sim.base_url, api_key="sim")

    Keyword arguments override fields of ``config`` (``SimServer(slots=4)``). Port 0 (the
    default) takes a free port.
    """

    def __init__(self, config: SimConfig | None = None, **overrides: Any) -> None:
        config = config or SimConfig()
        self.config = config.with_overrides(**overrides) if overrides else config
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._state: SimState | None = None
        self._sock: socket.socket | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.port: int | None = None

    # ---- addresses ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The server's root URL (``/sim/log`` lives under it)."""
        if self.port is None:
            raise RuntimeError(
                "the simulator is not running; call start() or use `with SimServer()`"
            )
        host = self.config.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The OpenAI ``base_url`` (``.../v1``) to hand to a client."""
        return f"{self.url}/v1"

    @property
    def banner(self) -> str:
        """The start-up line, saying plainly that this is a simulator."""
        return describe(self.config, self.base_url)

    # ---- lifecycle ------------------------------------------------------------------------

    def start(self) -> Self:
        if self._thread is not None:
            raise RuntimeError("this SimServer is already running; stop() it first")
        try:
            sock = socket.create_server((self.config.host, self.config.port), backlog=1024)
        except OSError as exc:
            raise SimConfigError(
                f"cannot listen on {self.config.host}:{self.config.port} ({exc.strerror}); "
                "choose another port, or port 0 for any free one"
            ) from None
        self._sock = sock
        self.port = sock.getsockname()[1]
        self._ready.clear()
        self._error = None
        self._thread = threading.Thread(
            target=self._run, name=f"opportune-sim:{self.port}", daemon=True
        )
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            error, self._thread = self._error, None
            self.port = None
            raise error
        return self

    def stop(self) -> None:
        """Stop serving; requests still in flight are cut off. Safe to call twice."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        self._thread = self._loop = self._state = self._runner = None
        self.port = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._startup())
        except BaseException as exc:  # noqa: BLE001 - re-raised by start() in the caller's thread
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._shutdown())
            loop.close()

    async def _startup(self) -> None:
        app, state = build_app(self.config)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.1)
        await runner.setup()
        assert self._sock is not None
        await web.SockSite(runner, self._sock).start()
        self._runner, self._state = runner, state

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # ---- the recorded schedule ------------------------------------------------------------

    def schedule(self) -> list[ScheduleEntry]:
        """The recorded schedule, read in-process (the same data as ``GET /sim/log``)."""
        if self._state is None:
            raise RuntimeError("the simulator is not running; its schedule is gone with it")
        return self._state.schedule.snapshot()

    def fetch_log(self) -> dict[str, Any]:
        """``GET /sim/log`` over HTTP, as an outside client sees it."""
        with urllib.request.urlopen(f"{self.url}/sim/log", timeout=10) as response:
            data: dict[str, Any] = json.load(response)
        return data

    def reset(self) -> None:
        """Forget the schedule, the rate-limit window and the fault counters."""
        request = urllib.request.Request(f"{self.url}/sim/reset", method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=10):
            pass

    @contextlib.contextmanager
    def gated(self, *gates: Gate) -> Iterator[None]:
        """Hold requests until each gate's group is in flight together, for one run (tests).

        Arms the gates over HTTP (``POST /sim/gates``) and disarms them on leaving; if the block
        ends without an exception and a gate never opened, raises :class:`SimGateError` naming
        it and how many of its requests arrived. See ``opportune.sim._gates``.
        """
        if not gates:
            raise ValueError("name at least one Gate(pattern=..., count=...) to arm")
        body = json.dumps({"gates": [g.model_dump() for g in gates]}).encode()
        self._call("POST", "/sim/gates", body)
        report: list[dict[str, Any]] = []
        try:
            yield
        finally:
            report = self._call("DELETE", "/sim/gates")["gates"]
        problem = not_opened(report)
        if problem is not None:
            raise SimGateError(problem)

    def _call(self, method: str, path: str, body: bytes | None = None) -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, data=body,
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            message = json.load(exc).get("error", {}).get("message", exc.reason)
            raise SimConfigError(f"{method} {path}: {message}") from None
