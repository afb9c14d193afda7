"""The simulator: deterministic, complete, and its policies differ the way the model predicts."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest

from opportune.serve import ENGINES, EngineModel, engine_named, generate, simulate

KEYS = {"mean_norm_latency", "p95_norm_latency", "throughput_programs_per_s", "preemptions"}


@pytest.mark.parametrize(("workload", "calls"), [("chat", 6.7), ("tools", 10.8), ("tree", 160)])
def test_workload_shapes(workload: str, calls: float) -> None:
    programs = generate(workload, 600, seed=3)
    mean_calls = np.mean([len(p.calls) for p in programs])
    assert calls * 0.8 < mean_calls < calls * 1.25
    for p in programs[:50]:
        for i, c in enumerate(p.calls):
            assert all(0 <= q < i for q in c.parents)  # topological order


def test_tools_prompts_are_long_and_outputs_short() -> None:
    calls = [c for p in generate("tools", 100, 0) for c in p.calls]
    assert np.mean([c.prompt for c in calls]) > 1500 and np.mean([c.output for c in calls]) < 80


def test_tree_has_parallel_branches_and_a_shorter_critical_path() -> None:
    p = max(generate("tree", 20, 1), key=lambda p: len(p.calls))
    assert sum(1 for c in p.calls if not c.parents) > 1
    assert p.critical_path_tokens() < p.output_tokens / 3


def test_mixed_is_equal_parts() -> None:
    kinds = [p.kind for p in generate("mixed", 300, 0)]
    assert kinds.count("chat") == kinds.count("tools") == kinds.count("tree") == 100


@pytest.mark.parametrize("policy", ["fcfs", "mlfq", "plas", "atlas", "srpt"])
def test_every_policy_finishes_every_program_deterministically(policy: str) -> None:
    a = simulate("mixed", policy, load=0.9, programs=30, seed=5)
    b = simulate("mixed", policy, load=0.9, programs=30, seed=5)
    assert a == b
    assert KEYS <= set(a.as_dict())
    assert a.calls == sum(len(p.calls) for p in generate("mixed", 30, 5))
    assert a.mean_norm_latency > 0 and a.p95_norm_latency >= a.p50_norm_latency


def test_a_different_seed_gives_a_different_run() -> None:
    assert simulate("chat", "plas", load=0.9, programs=40, seed=1) != simulate(
        "chat", "plas", load=0.9, programs=40, seed=2
    )


def test_normalised_latency_never_beats_the_engine() -> None:
    r = simulate("chat", "fcfs", load=0.1, programs=20, seed=0)
    e = EngineModel()
    assert r.mean_norm_latency >= e.iteration_s + e.decode_s


def test_higher_load_queues_more_under_fcfs() -> None:
    low = simulate("mixed", "fcfs", load=0.3, programs=120, seed=0)
    high = simulate("mixed", "fcfs", load=1.0, programs=120, seed=0)
    assert high.mean_norm_latency > 1.5 * low.mean_norm_latency


def test_small_cache_forces_preemption() -> None:
    r = simulate(
        "tools",
        "fcfs",
        load=0.9,
        programs=40,
        seed=0,
        engine=EngineModel(kv_capacity=12_000, max_batch=32),
    )
    assert r.preemptions > 0


def test_program_aware_policies_beat_fcfs_on_chat_and_srpt_bounds_them() -> None:
    res = {
        p: simulate("chat", p, load=0.9, programs=300, seed=0).mean_norm_latency
        for p in ("fcfs", "plas", "srpt")
    }
    assert res["plas"] < res["fcfs"]
    assert res["srpt"] <= res["plas"] * 1.05


@pytest.mark.parametrize("bad", [{"load": 0.0}, {"load": 0.5, "programs": 0}])
def test_bad_arguments_are_explained(bad: dict) -> None:
    kwargs = {"load": 0.5, "programs": 5} | bad
    with pytest.raises(ValueError):
        simulate("chat", "fcfs", **kwargs)  # type: ignore[arg-type]


def test_cli_prints_json() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "opportune",
            "serve",
            "simulate",
            "--workload",
            "tools",
            "--policy",
            "atlas",
            "--load",
            "0.8",
            "--programs",
            "20",
            "--seed",
            "3",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    data = json.loads(out.stdout)
    assert KEYS <= set(data) and data["policy"] == "atlas" and data["programs"] == 20


def test_cli_rejects_unknown_policy() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "opportune", "serve", "simulate", "--policy", "lottery"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode != 0 and "lottery" in out.stderr


def test_unknown_engine_profile_is_named_with_the_choices() -> None:
    with pytest.raises(
        ValueError, match=r"'h100-dream'.*small, llama8b-a100, llama8b-a100-no-prefix-cache"
    ):
        simulate("chat", "fcfs", load=0.5, programs=5, engine="h100-dream")
    with pytest.raises(ValueError, match="'tpu'"):
        engine_named("tpu")


def test_llama8b_a100_profile_follows_its_arithmetic() -> None:
    e = engine_named("llama8b-a100")
    kv_bytes = 2 * 32 * 8 * 128 * 2  # K and V x layers x KV heads x head dim x bf16
    assert kv_bytes == 131_072
    assert e.kv_capacity == int((0.9 * 80 * 2**30 - 2 * 8.03e9) // kv_bytes)
    assert (e.max_batch, e.token_budget) == (256, 2048)  # vLLM's A100 server defaults
    assert e.swap_s == e.prefill_s  # vLLM preempts by recompute
    assert e.iteration_s == pytest.approx(2 * 8.03e9 / 2.039e12)
    assert ENGINES["small"] == EngineModel()


def test_the_small_profile_is_the_original_model() -> None:
    assert simulate("tools", "plas", load=0.8, programs=20, seed=1) == simulate(
        "tools", "plas", load=0.8, programs=20, seed=1, engine="small"
    )


def test_reading_the_kv_cache_slows_long_contexts() -> None:
    e = engine_named("llama8b-a100")
    without = dataclasses.replace(e, kv_read_s=0.0)
    slow = simulate("tools", "fcfs", load=0.1, programs=20, seed=0, engine=e)
    fast = simulate("tools", "fcfs", load=0.1, programs=20, seed=0, engine=without)
    assert slow.engine == "llama8b-a100"
    assert slow.mean_latency_s > fast.mean_latency_s


def test_cli_takes_an_engine_profile_and_rejects_unknown_ones() -> None:
    base = [sys.executable, "-m", "opportune", "serve", "simulate", "--programs", "10"]
    ok = subprocess.run(
        [*base, "--engine", "llama8b-a100", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(ok.stdout)["engine"] == "llama8b-a100"
    bad = subprocess.run(
        [*base, "--engine", "abacus"], capture_output=True, text=True, timeout=120, check=False
    )
    assert bad.returncode != 0 and "abacus" in bad.stderr


def test_the_prefill_token_budget_is_per_iteration_not_per_scheduling_event() -> None:
    # Each tools prompt is longer than 512 tokens, so a 512-token budget admits one call per
    # iteration; an engine with the slots and cache to spare must then keep up with an
    # unlimited budget. (Counting the budget once per simulator event admitted one call per
    # arrival or completion instead, and latency rose by a quarter.)
    roomy = EngineModel(max_batch=64, kv_capacity=10**7, token_budget=10**7)
    tight = dataclasses.replace(roomy, token_budget=512)
    free = simulate("tools", "fcfs", load=0.8, programs=40, seed=0, engine=roomy)
    capped = simulate("tools", "fcfs", load=0.8, programs=40, seed=0, engine=tight)
    assert capped.mean_norm_latency <= 1.1 * free.mean_norm_latency


def test_prefix_caching_prefills_only_what_extends_the_parents_context() -> None:
    e = engine_named("llama8b-a100")
    chat = next(p for p in generate("chat", 20, 0) if len(p.calls) >= 3)
    first, second = chat.calls[0], chat.calls[1]
    assert e.prefill_tokens(chat, 0) == first.prompt
    assert e.prefill_tokens(chat, 1) == second.prompt - first.prompt - first.output
    cold = engine_named("llama8b-a100-no-prefix-cache")
    assert cold.prefill_tokens(chat, 1) == second.prompt
    warm_run = simulate("chat", "fcfs", load=0.3, programs=30, seed=0, engine=e)
    cold_run = simulate("chat", "fcfs", load=0.3, programs=30, seed=0, engine=cold)
    assert warm_run.mean_latency_s < cold_run.mean_latency_s


def test_runs_report_how_full_the_engine_was() -> None:
    r = simulate("mixed", "atlas", load=0.9, programs=30, seed=0)
    assert 1 <= r.mean_batch <= EngineModel().max_batch
    assert 0 < r.mean_kv_fraction <= 1 and 0 < r.busy_fraction <= 1
    assert len(r.norm_latency_by_arrival_quarter) == 4
