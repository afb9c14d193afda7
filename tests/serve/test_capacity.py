"""10,000 concurrent programs through the gateway, as real processes on loopback, none lost.

The engine holds every answer until all 10,000 calls have reached the gateway (a gate the test
opens), so the gateway provably holds 10,000 programs at once: 64 in flight at the engine, the
rest in its own queues. Then every call must come back with its own answer.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from _serve_backend import free_port

from opportune.serve import PROGRAM_HEADER

PROGRAMS = 10_000
HERE = Path(__file__).parent


def _spawn(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )


async def _wait_up(
    session: aiohttp.ClientSession, url: str, procs: list[subprocess.Popen[bytes]]
) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"server exited: {p.stderr.read().decode() if p.stderr else ''}")
        try:
            async with session.get(url) as r:
                if r.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up within 60 s")


async def _load(
    gateway: str, backend: str, procs: list[subprocess.Popen[bytes]]
) -> tuple[list[str], dict]:
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=240)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await _wait_up(session, gateway + "/health", procs)
        await _wait_up(session, backend + "/v1/models", procs)

        async def one(i: int) -> str:
            body = {"model": "m", "messages": [{"role": "user", "content": f"program {i}"}]}
            async with session.post(
                gateway + "/v1/chat/completions", json=body, headers={PROGRAM_HEADER: f"prog-{i}"}
            ) as r:
                data = await r.json()
                assert r.status == 200, data
                return str(data["choices"][0]["message"]["content"])

        tasks = [asyncio.create_task(one(i)) for i in range(PROGRAMS)]
        held = {}
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            async with session.get(gateway + "/metrics") as r:
                held = (await r.json())["totals"]
            if held["requests"] == PROGRAMS or any(t.done() for t in tasks):
                break
            await asyncio.sleep(0.5)
        async with session.post(backend + "/control/release") as r:
            assert r.status == 200
        answers = await asyncio.gather(*tasks)
        async with session.get(gateway + "/metrics") as r:
            final = (await r.json())["totals"]
        return answers, {"held": held, "final": final}


@pytest.mark.timeout(300)
def test_gateway_holds_ten_thousand_concurrent_programs() -> None:
    backend_port, gateway_port = free_port(), free_port()
    backend = f"http://127.0.0.1:{backend_port}"
    gateway = f"http://127.0.0.1:{gateway_port}"
    procs = [
        _spawn([str(HERE / "_serve_backend.py"), "--port", str(backend_port), "--gate"]),
        _spawn(
            [
                "-m",
                "opportune",
                "serve",
                "gateway",
                "--backend",
                backend + "/v1",
                "--port",
                str(gateway_port),
                "--policy",
                "atlas",
                "--max-inflight",
                "64",
            ]
        ),
    ]
    try:
        answers, m = asyncio.run(_load(gateway, backend, procs))
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)
    held, final = m["held"], m["final"]
    print(json.dumps(m))
    # All 10,000 programs were inside the gateway at once, 64 at the engine, the rest queued.
    assert held["requests"] == PROGRAMS and held["active_programs"] == PROGRAMS
    assert held["inflight"] == 64 and held["queued"] == PROGRAMS - 64
    # None lost, none mixed up.
    assert answers == [f"echo: program {i}" for i in range(PROGRAMS)]
    assert final["completed"] == PROGRAMS and final["failed"] == 0 and final["queued"] == 0
    assert final["peak_active_programs"] == PROGRAMS
