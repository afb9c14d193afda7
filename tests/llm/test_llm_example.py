"""The research-assistant example: same output under ``python`` and ``opportune run``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sim = pytest.importorskip("opportune.sim", reason="the simulator (opportune.sim) is not present")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "research_assistant.py"
RULES = (
    sim.Rule(pattern=r"What is (\w+)\?", answer="{1} is a drink."),
    sim.Rule(pattern=r"Where does (\w+) come from\?", answer="{1} comes from China."),
    sim.Rule(pattern=r"Why do people like (\w+)\?", answer="People like {1} for its taste."),
    sim.Rule(pattern=r"surprising fact about (\w+)", answer="Fact {hash} about {1}."),
    sim.Rule(pattern=r"Write two sentences about (\w+)", answer="Summary of {1} ({hash})."),
)


def _run(argv: list[str], base_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OPPORTUNE_"))}
    env["OPENAI_BASE_URL"] = base_url
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=cwd, env=env,
                          check=False)


def test_example_output_is_the_same_under_both_runners(tmp_path):
    opportune = Path(sys.executable).with_name("opportune")
    with sim.SimServer(sim.SimConfig(ttft=0.01, tpot=0.001, rules=RULES)) as server:
        plain = _run([sys.executable, str(EXAMPLE), "coffee"], server.base_url, tmp_path)
        assert plain.returncode == 0, plain.stderr
        sequential = len(server.schedule())
        if not opportune.exists():
            pytest.skip("the opportune console script is not installed beside this interpreter")
        ran = _run([str(opportune), "run", "--summary", str(EXAMPLE), "coffee"], server.base_url,
                   tmp_path)
        assert ran.returncode == 0, ran.stderr
        overlapped = len(server.schedule()) - sequential
    assert plain.stdout == ran.stdout
    assert "A: coffee comes from China." in plain.stdout
    assert "Reference: Coffee is brewed" in plain.stdout
    assert "Summary of coffee (" in plain.stdout
    assert sequential == overlapped == 5  # four sub-questions and the summary, each asked once
    assert "opportune: 6 calls" in ran.stderr  # five LLM calls and the look_up tool
