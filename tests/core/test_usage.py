"""Token usage of LLM calls lands in the recorded schedule, per call."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import opportune
from opportune import llm
from opportune.sim import SimConfig, SimServer


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimServer]:
    with SimServer(SimConfig(ttft=0.001, tpot=0.0001)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sim")
        monkeypatch.setenv("OPPORTUNE_MODEL", "opportune-sim")
        yield server


def two_questions() -> list[str]:
    return [llm.complete("first question"), llm.complete("a second, longer question here")]


def test_each_llm_call_record_carries_its_token_usage(sim: SimServer) -> None:
    opportune.run(two_questions)
    records = opportune.last_schedule().by_name("opportune.llm.complete")
    assert len(records) == 2
    for record in records:
        assert record.usage is not None, record
        assert record.usage["requests"] == 1
        assert record.usage["prompt_tokens"] > 0 and record.usage["completion_tokens"] > 0
    first, second = sorted(records, key=lambda r: r.call_id)
    assert second.usage["prompt_tokens"] > first.usage["prompt_tokens"]  # type: ignore[index]
