"""Does the simulator behave like its capacity model? (a benchmark, not a test)

Two questions, each answered by timing real calls made with the official ``openai`` SDK:

* With 64 slots, 64 independent concurrent calls should finish in about the time of one call
  (the target is within 1.1x), because nothing makes them wait for each other.
* With 4 slots, the same 64 calls go through in ``ceil(64 / 4)`` waves, so the total should
  match ``waves x (ttft + (tokens - 1) x tpot)``, and the recorded schedule should show 60
  calls queued.

Figures come from the client's wall clock and, independently, from the server's recorded
schedule (``/sim/log``); results are written to ``benchmarks/results/sim_capacity.json``.

    python -m benchmarks.sim.capacity [--calls 64] [--tokens 32] [--stream]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

import openai

from opportune.sim import SimConfig, SimServer, count_tokens

RESULTS = Path(__file__).resolve().parents[1] / "results" / "sim_capacity.json"


def _answer(tokens: int) -> str:
    words = ["the", "answer", "is", "given", "here", "and", "now"]
    text = " ".join(words[i % len(words)] for i in range(tokens))
    assert count_tokens(text) == tokens, (count_tokens(text), tokens)
    return text


async def _call(client: openai.AsyncOpenAI, i: int, stream: bool) -> str:
    messages = [{"role": "user", "content": f"independent question {i}"}]
    if not stream:
        reply = await client.chat.completions.create(model="sim", messages=messages)  # type: ignore[arg-type]
        return reply.choices[0].message.content or ""
    parts = []
    chunks = await client.chat.completions.create(model="sim", messages=messages, stream=True)  # type: ignore[arg-type]
    async for chunk in chunks:
        if chunk.choices and chunk.choices[0].delta.content:
            parts.append(chunk.choices[0].delta.content)
    return "".join(parts)


async def _burst(base_url: str, calls: int, stream: bool) -> tuple[float, list[str]]:
    async with openai.AsyncOpenAI(base_url=base_url, api_key="sim", max_retries=0) as client:
        await _call(client, -1, stream)  # open the connection pool outside the timing
        began = time.perf_counter()
        answers = await asyncio.gather(*(_call(client, i, stream) for i in range(calls)))
        return time.perf_counter() - began, list(answers)


async def _single(base_url: str, repeats: int, stream: bool) -> list[float]:
    async with openai.AsyncOpenAI(base_url=base_url, api_key="sim", max_retries=0) as client:
        await _call(client, -1, stream)
        times = []
        for i in range(repeats):
            began = time.perf_counter()
            await _call(client, i, stream)
            times.append(time.perf_counter() - began)
        return times


def _schedule_figures(sim: SimServer, calls: int) -> dict[str, Any]:
    entries = [e for e in sim.fetch_log()["requests"] if e["status"] == 200][-calls:]
    span = max(e["end"] for e in entries) - min(e["arrival"] for e in entries)
    return {
        "schedule_span_s": round(span, 4),
        "queued": sum(e["queued"] for e in entries),
        "max_wait_s": round(max(e["start"] - e["arrival"] for e in entries), 4),
        # Slot to last token, per call: what the server itself took, against the model's time.
        "max_service_s": round(max(e["last_token"] - e["start"] for e in entries), 4),
        "slots_used": len({e["slot"] for e in entries}),
    }


def run(calls: int, tokens: int, stream: bool, ttft: float, tpot: float) -> dict[str, Any]:
    answer = _answer(tokens)
    service = ttft + (tokens - 1) * tpot
    base = SimConfig(ttft=ttft, tpot=tpot, default_answer=answer)

    # What the client and the loopback HTTP stack cost on their own: the same burst against a
    # server that answers at once. The wide burst cannot beat one call plus this.
    with SimServer(base.with_overrides(slots=64, ttft=0.0, tpot=0.0)) as sim:
        overhead, _ = asyncio.run(_burst(sim.base_url, calls, stream))

    with SimServer(base.with_overrides(slots=64)) as sim:
        singles = asyncio.run(_single(sim.base_url, 5, stream))
        single = statistics.median(singles)
        sim.reset()
        wide_wall, wide_answers = asyncio.run(_burst(sim.base_url, calls, stream))
        wide = {"slots": 64, "wall_s": round(wide_wall, 4), **_schedule_figures(sim, calls)}
    assert wide_answers == [answer] * calls
    wide["ratio_to_single_call"] = round(wide_wall / single, 4)
    wide["client_overhead_s"] = round(overhead, 4)
    wide["ratio_single_plus_overhead"] = round((single + overhead) / single, 4)
    wide["ratio_schedule_span_to_single"] = round(wide["schedule_span_s"] / single, 4)
    wide["target_ratio"] = 1.1
    wide["meets_target"] = wide_wall / single <= 1.1

    narrow_slots = 4
    waves = math.ceil(calls / narrow_slots)
    with SimServer(base.with_overrides(slots=narrow_slots)) as sim:
        sim.reset()
        narrow_wall, narrow_answers = asyncio.run(_burst(sim.base_url, calls, stream))
        narrow = {
            "slots": narrow_slots,
            "wall_s": round(narrow_wall, 4),
            **_schedule_figures(sim, calls),
        }
    assert narrow_answers == [answer] * calls
    model_total = waves * service
    narrow.update(
        waves=waves,
        capacity_model_s=round(model_total, 4),
        ratio_wall_to_model=round(narrow_wall / model_total, 4),
        ratio_schedule_to_model=round(narrow["schedule_span_s"] / model_total, 4),
        expected_queued=calls - narrow_slots,
    )
    return {
        "benchmark": "sim_capacity",
        "what": "64 independent concurrent calls against the latency simulator, 64 vs 4 slots",
        "calls": calls,
        "answer_tokens": tokens,
        "stream": stream,
        "ttft_s": ttft,
        "tpot_s": tpot,
        "service_time_model_s": round(service, 4),
        "single_call_s": {"median": round(single, 4), "runs": [round(t, 4) for t in singles]},
        "slots_64": wide,
        "slots_4": narrow,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "when_unix": round(time.time()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=64)
    parser.add_argument("--tokens", type=int, default=32, help="tokens per answer")
    parser.add_argument("--ttft", type=float, default=0.4)
    parser.add_argument("--tpot", type=float, default=0.015)
    parser.add_argument("--stream", action="store_true", help="stream the answers (SSE)")
    parser.add_argument("--out", type=Path, default=None, help=f"default: {RESULTS}")
    args = parser.parse_args()
    result = run(args.calls, args.tokens, args.stream, args.ttft, args.tpot)
    suffix = ("_stream" if args.stream else "") + (
        f"_{args.tokens}tok" if args.tokens != 32 else ""
    )
    out = args.out or RESULTS.with_name(f"sim_capacity{suffix}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    wide, narrow = result["slots_64"], result["slots_4"]
    print(
        f"one call (median of 5): {result['single_call_s']['median']:.3f} s "
        f"(model {result['service_time_model_s']:.3f} s)"
    )
    print(
        f"{args.calls} calls, 64 slots: {wide['wall_s']:.3f} s = "
        f"{wide['ratio_to_single_call']:.3f}x one call (target <= 1.1x), "
        f"{wide['queued']} queued; the same burst against a zero-latency server takes "
        f"{wide['client_overhead_s']:.3f} s (client + HTTP overhead)"
    )
    print(
        f"{args.calls} calls, 4 slots: {narrow['wall_s']:.3f} s; capacity model "
        f"{narrow['waves']} waves x {result['service_time_model_s']:.3f} s = "
        f"{narrow['capacity_model_s']:.3f} s; ratio {narrow['ratio_wall_to_model']:.3f} "
        f"(schedule {narrow['ratio_schedule_to_model']:.3f}); {narrow['queued']} queued"
    )
    print(f"written to {out}")


if __name__ == "__main__":
    main()
