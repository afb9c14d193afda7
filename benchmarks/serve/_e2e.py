"""Many concurrent programs through the real gateway in front of a real loopback engine.

The engine is ``opportune sim serve``'s server (a latency-modelled OpenAI-compatible endpoint
with a fixed number of decoding slots), in this process; the gateway runs as its own process
(``opportune serve gateway``) with as many calls in flight as the engine has slots, so that the
gateway's queues, and its policy, decide who waits. Programs are clients of the official openai
SDK that send opportune's headers: chat-like chains and tree-like levels of parallel calls,
arriving as a Poisson process.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

import numpy as np
import openai

from opportune.serve import headers_for
from opportune.sim import SimConfig, SimServer


@dataclass(frozen=True)
class _Info:
    program_id: str
    thread_id: int
    call_id: int
    parents: tuple[int, ...]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _programs(n: int, seed: int) -> list[tuple[str, list[list[int]]]]:
    """(kind, levels); each level is the output lengths of calls that run in parallel.

    Equal parts of chat-like chains, tool-use-like chains of short calls, and tree-like levels
    of six parallel branches, as in the simulator's mixed workload (scaled down).
    """
    rng = random.Random(seed)
    out: list[tuple[str, list[list[int]]]] = []
    for i in range(n):
        if i % 3 == 0:
            levels = [[rng.randint(10, 40) for _ in range(6)] for _ in range(rng.randint(3, 10))]
            out.append(("tree", levels))
        elif i % 3 == 1:
            out.append(("chat", [[rng.randint(10, 40)] for _ in range(rng.randint(2, 8))]))
        else:
            out.append(("tools", [[rng.randint(4, 12)] for _ in range(rng.randint(6, 14))]))
    rng.shuffle(out)
    return out


async def _run_program(
    client: openai.AsyncOpenAI, pid: str, levels: list[list[int]]
) -> tuple[float, int]:
    start = time.monotonic()
    call_id = 0
    parents: tuple[int, ...] = ()
    tokens = 0
    for level in levels:
        ids = tuple(range(call_id, call_id + len(level)))
        call_id += len(level)

        async def one(cid: int, max_tokens: int, parents: tuple[int, ...] = parents) -> None:
            await client.chat.completions.create(
                model="sim",
                max_tokens=max_tokens,
                messages=[{"role": "user", "content": f"{pid} call {cid}"}],
                extra_headers=headers_for(_Info(pid, 0, cid, parents)),
            )

        await asyncio.gather(*(one(cid, m) for cid, m in zip(ids, level)))
        parents = ids
        tokens += max(level)
    return time.monotonic() - start, tokens


async def _drive(
    url: str, programs: list[tuple[str, list[list[int]]]], rate: float, seed: int
) -> list[dict[str, Any]]:
    rng = random.Random(seed + 1)
    client = openai.AsyncOpenAI(base_url=url, api_key="x", max_retries=0, timeout=300)
    results: list[dict[str, Any]] = []

    async def launch(i: int, kind: str, levels: list[list[int]], delay: float) -> None:
        await asyncio.sleep(delay)
        latency, tokens = await _run_program(client, f"{kind}-{i}-{seed}", levels)
        results.append({"kind": kind, "latency_s": latency, "norm": latency / tokens})

    t = 0.0
    tasks = []
    for i, (kind, levels) in enumerate(programs):
        t += rng.expovariate(rate) if rate > 0 else 0.0
        tasks.append(launch(i, kind, levels, t))
    await asyncio.gather(*tasks)
    await client.close()
    return results


def _wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                "gateway exited: " + (proc.stderr.read().decode() if proc.stderr else "")
            )
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def run_e2e(
    policies: list[str],
    programs: int,
    slots: int,
    tpot: float,
    load: float,
    seed: int = 0,
    rounds: int = 1,
) -> dict[str, Any]:
    """Run the same programs and arrivals under each policy, ``rounds`` times interleaved.

    Interleaving the policies and averaging the rounds keeps a change in the machine's load (it
    is shared) from favouring whichever policy ran at a quiet moment.
    """
    progs = _programs(programs, seed)
    ttft = 0.01
    # Slot-seconds a program needs, to set the arrival rate for the requested load.
    work = [sum(ttft + tpot * m for level in levels for m in level) for _, levels in progs]
    # load 0 means a burst: every program starts at once.
    rate = load * slots / float(np.mean(work)) if load > 0 else 0.0
    out: dict[str, Any] = {
        "programs": programs,
        "slots": slots,
        "tpot_s": tpot,
        "ttft_s": ttft,
        "load": load,
        "arrival_rate_per_s": rate,
        "rounds": rounds,
        "policies": {},
    }
    runs: dict[str, list[dict[str, Any]]] = {p: [] for p in policies}
    for _ in range(rounds):
        for policy in policies:
            runs[policy].append(_run_once(policy, progs, rate, slots, ttft, tpot, seed))
    for policy, rs in runs.items():
        mean = {
            k: float(np.mean([r[k] for r in rs]))
            for k in (
                "completed",
                "wall_s",
                "mean_norm_latency",
                "p95_norm_latency",
                "mean_latency_s",
            )
        }
        mean["mean_norm_latency_by_kind"] = {
            k: float(np.mean([r["mean_norm_latency_by_kind"][k] for r in rs]))
            for k in ("chat", "tools", "tree")
        }
        out["policies"][policy] = mean | {"rounds": rs}
    return out


def _run_once(
    policy: str,
    progs: list[tuple[str, list[list[int]]]],
    rate: float,
    slots: int,
    ttft: float,
    tpot: float,
    seed: int,
) -> dict[str, Any]:
    answer = " ".join(["tok"] * 64)
    load_before = os.getloadavg()[0]
    with SimServer(SimConfig(ttft=ttft, tpot=tpot, slots=slots, default_answer=answer)) as sim:
        port = _free_port()
        gw = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "opportune",
                "serve",
                "gateway",
                "--backend",
                sim.base_url,
                "--port",
                str(port),
                "--policy",
                policy,
                "--max-inflight",
                str(slots),
                "--quantum",
                str(0.05),
                "--no-priority",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=os.environ.copy(),
        )
        try:
            _wait_up(f"http://127.0.0.1:{port}/health", gw)
            t0 = time.monotonic()
            res = asyncio.run(_drive(f"http://127.0.0.1:{port}/v1", progs, rate, seed))
            wall = time.monotonic() - t0
        finally:
            gw.terminate()
            gw.wait(10)
    norm = np.array([r["norm"] for r in res])
    by_kind = {
        k: float(np.mean([r["norm"] for r in res if r["kind"] == k]))
        for k in ("chat", "tools", "tree")
    }
    return {
        "machine_load_avg_1min": [load_before, os.getloadavg()[0]],
        "completed": len(res),
        "wall_s": wall,
        "mean_norm_latency": float(norm.mean()),
        "p95_norm_latency": float(np.percentile(norm, 95)),
        "mean_latency_s": float(np.mean([r["latency_s"] for r in res])),
        "mean_norm_latency_by_kind": by_kind,
    }
