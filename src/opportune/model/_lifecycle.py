"""Starting, finding and stopping the embedded model server.

A program that configures no endpoint gets a server of its own: a subprocess on a free loopback
port, started on the first LLM call, waited for until the model is loaded, and stopped when the
program exits (the server also exits by itself if its parent dies without cleaning up). A server
started by hand with ``opportune model serve`` records itself in a state file; programs find it
there and use it instead of starting their own.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opportune.model._locate import MODEL_NAME, EmbeddedModelUnavailable, check_installed

READY_MARKER = "OPPORTUNE-MODEL-READY"
START_TIMEOUT = 180.0


def state_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"opportune-{os.getuid()}"


def state_file() -> Path:
    """Where a server started by hand announces its address to programs on this machine."""
    return state_dir() / "model-server.json"


@dataclass(frozen=True)
class ServerHandle:
    """A running embedded model server: its OpenAI base URL and process id."""

    base_url: str
    pid: int
    started_here: bool


def healthy(base_url: str, timeout: float = 2.0) -> bool:
    """Whether an embedded model server answers at ``base_url``."""
    root = base_url.removesuffix("/v1")
    try:
        with urllib.request.urlopen(f"{root}/health", timeout=timeout) as resp:
            data = json.load(resp)
    except (OSError, ValueError, urllib.error.URLError):
        return False
    return isinstance(data, dict) and data.get("model") == MODEL_NAME


def _announced() -> ServerHandle | None:
    try:
        data = json.loads(state_file().read_text())
        handle = ServerHandle(base_url=str(data["base_url"]), pid=int(data["pid"]),
                              started_here=False)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return handle if healthy(handle.base_url) else None


_lock = threading.Lock()
_own: tuple[subprocess.Popen[bytes], ServerHandle] | None = None
_reused: tuple[float, ServerHandle] | None = None
REUSE_RECHECK = 10.0  # seconds between health checks of a server started by hand


def ensure_server(timeout: float = START_TIMEOUT) -> ServerHandle:
    """A running embedded server: this process's own, one started by hand, or a new one."""
    global _own, _reused
    with _lock:
        if _own is not None:
            proc, handle = _own
            if proc.poll() is None:
                return handle
            _own = None
        now = time.monotonic()
        if _reused is not None and now - _reused[0] < REUSE_RECHECK:
            return _reused[1]
        announced = _announced()
        if announced is not None:
            _reused = (now, announced)
            return announced
        _reused = None
        check_installed()
        proc, handle = _start(timeout)
        _own = (proc, handle)
        return handle


def _start(timeout: float) -> tuple[subprocess.Popen[bytes], ServerHandle]:
    state_dir().mkdir(parents=True, exist_ok=True)
    log_path = state_dir() / f"model-server-{os.getpid()}.log"
    command = [sys.executable, "-m", "opportune.model", "--port", "0",
               "--parent-pid", str(os.getpid())]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
            start_new_session=True,
        )
    atexit.register(_stop_and_forget_log, proc, log_path)
    lines: list[str] = []

    def read_ready_line() -> None:
        if proc.stdout is not None:
            lines.append(proc.stdout.readline().decode(errors="replace"))

    reader = threading.Thread(target=read_ready_line, daemon=True)
    reader.start()
    reader.join(timeout)
    line = lines[0].strip() if lines else ""
    ready = line.startswith(READY_MARKER)
    if not ready and not reader.is_alive():
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)  # its stdout closed: it is exiting
    reason = "it exited" if proc.poll() is not None else f"it was not ready in {timeout:.0f} s"
    if not ready:
        _stop(proc)
        reader.join(10)
    if proc.stdout is not None:
        proc.stdout.close()
    if not ready:
        tail = log_path.read_text(errors="replace")[-2000:] if log_path.exists() else ""
        raise EmbeddedModelUnavailable(
            f"the embedded model server did not start ({reason}); its log {log_path} ends with:\n"
            f"{tail.strip() or '(empty)'}\nSet OPENAI_BASE_URL to use another endpoint instead."
        )
    base_url = line.split(maxsplit=1)[1]
    return proc, ServerHandle(base_url=base_url, pid=proc.pid, started_here=True)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _stop_and_forget_log(proc: subprocess.Popen[bytes], log_path: Path) -> None:
    """At exit: stop the server and remove its log, which only matters if start-up failed."""
    _stop(proc)
    with contextlib.suppress(OSError):
        log_path.unlink()


def stop_server() -> None:
    """Stop the server this process started, if any (a server started by hand keeps running)."""
    global _own, _reused
    with _lock:
        own, _own = _own, None
        _reused = None
    if own is not None:
        _stop(own[0])


def _parent_gone(parent_pid: int) -> bool:
    return os.getppid() != parent_pid


def serve_forever(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    parent_pid: int | None = None,
    announce: bool = False,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Load the model and serve it until SIGINT/SIGTERM (or until ``parent_pid`` exits).

    ``announce`` writes the state file so that programs on this machine reuse this server.
    """
    from opportune.model._server import Engine, run_server

    gguf = check_installed()
    engine = Engine.load(gguf)
    engine.start()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)

        async def watch_parent() -> None:
            while parent_pid is not None and not _parent_gone(parent_pid):
                await asyncio.sleep(1.0)
            if parent_pid is not None:
                stop.set()

        watcher = asyncio.create_task(watch_parent())

        def ready(base_url: str) -> None:
            if announce:
                state_dir().mkdir(parents=True, exist_ok=True)
                tmp = state_file().with_suffix(".tmp")
                tmp.write_text(json.dumps({"base_url": base_url, "pid": os.getpid(),
                                           "gguf": str(gguf), "started": time.time()}))
                os.replace(tmp, state_file())
            if on_ready is not None:
                on_ready(base_url)

        try:
            await run_server(engine, host=host, port=port, gguf=gguf, on_ready=ready, stop=stop)
        finally:
            watcher.cancel()
            if announce:
                with contextlib.suppress(OSError, ValueError):
                    if json.loads(state_file().read_text()).get("pid") == os.getpid():
                        state_file().unlink()

    try:
        asyncio.run(main())
    finally:
        engine.stop()
