"""Against the latency simulator: a flaky, rate-limited endpoint gives the same answers."""

from __future__ import annotations

import pytest

from opportune import llm

sim = pytest.importorskip("opportune.sim", reason="the simulator (opportune.sim) is not present")

RULES = (sim.Rule(pattern=r"capital of (\w+)", answer="The capital of {1} is C-{hash}."),)
QUESTIONS = [f"What is the capital of Country{i}?" for i in range(12)]
FAST = {"backoff_initial": 0.01, "backoff_max": 0.05, "max_attempts": 12}


def _answers(server: sim.SimServer, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    try:
        return [llm.complete(q, temperature=0, **FAST) for q in QUESTIONS]
    finally:
        llm.close_clients()


def test_faults_and_rate_limits_leave_results_identical(monkeypatch):
    timing = {"ttft": 0.002, "tpot": 0.0005, "rules": RULES}
    with sim.SimServer(sim.SimConfig(**timing)) as clean:
        expected = _answers(clean, monkeypatch)
    with sim.SimServer(sim.SimConfig(**timing, fail_rate=0.3, drop_rate=0.1, seed=7)) as flaky:
        got = _answers(flaky, monkeypatch)
        faults = [e for e in flaky.schedule() if e.status != 200 or e.fault]
    assert got == expected
    assert all(a.startswith("The capital of Country") for a in got)
    assert faults, "the flaky simulator injected no faults, so this test proved nothing"
    records = llm.usage_log()[len(QUESTIONS):]
    assert sum(r.attempts for r in records) == len(QUESTIONS) + len(faults)


def test_model_is_discovered_from_the_simulator(monkeypatch):
    with sim.SimServer(sim.SimConfig(ttft=0.001, tpot=0.0001, rules=RULES)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        assert llm.complete("capital of Peru").startswith("The capital of Peru is C-")
        assert server.schedule()[-1].model == server.config.model
