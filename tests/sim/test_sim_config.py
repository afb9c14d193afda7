"""Configuration files load, overrides apply, and mistakes are reported with their fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opportune.sim import SimConfig, SimConfigError, load_config

TOML = """
ttft = 0.05
tpot = 0.001
slots = 4
rpm = 100
seed = 9
default_answer = "fallback"
replay = "calls.jsonl"

[[rules]]
pattern = 'capital of (\\w+)'
answer = "The capital of {1} is Example City."

[[rules]]
pattern = "(?P<word>hello)"
flags = "i"
answers = ["{word} there ({hash})", "{word} again"]
"""


def test_toml_with_replay_log(tmp_path: Path) -> None:
    (tmp_path / "calls.jsonl").write_text(
        json.dumps({"prompt": "ping", "answer": "pong", "latency": 0.2})
        + "\n"
        + json.dumps({"messages": [{"role": "user", "content": "hi"}], "answer": "hey"})
        + "\n"
    )
    path = tmp_path / "sim.toml"
    path.write_text(TOML)
    config = load_config(path)
    assert (config.ttft, config.tpot, config.slots, config.rpm, config.seed) == (
        0.05,
        0.001,
        4,
        100,
        9,
    )
    assert [r.pattern for r in config.rules] == [r"capital of (\w+)", "(?P<word>hello)"]
    assert [e.answer for e in config.replay] == ["pong", "hey"]
    assert config.replay[0].latency == 0.2
    assert load_config(path, slots=8, ttft=None).slots == 8  # None leaves the file's value


def test_json_config(tmp_path: Path) -> None:
    path = tmp_path / "sim.json"
    path.write_text(
        json.dumps(
            {
                "slots": 2,
                "rules": [{"pattern": "x", "answer": "y"}],
                "replay": [{"prompt": "a", "answer": "b"}],
            }
        )
    )
    config = SimConfig.from_file(path)
    assert config.slots == 2 and config.rules[0].answer == "y" and config.replay[0].prompt == "a"


def test_overrides_are_validated() -> None:
    assert SimConfig().with_overrides(slots=3, rpm=None).slots == 3
    with pytest.raises(SimConfigError, match="slots"):
        SimConfig().with_overrides(slots=0)


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ('[[rules]]\npattern = "(unclosed"\nanswer = "x"', ".toml", "escape special characters"),
        ('[[rules]]\npattern = "(a)"\nanswer = "{2}"', ".toml", "literal braces"),
        ('[[rules]]\npattern = "a"\nanswer = "{name}"', ".toml", "neither a group"),
        ('[[rules]]\npattern = "a"', ".toml", "exactly one of `answer`"),
        ('[[rules]]\npattern = "a"\nanswer = "b"\nflags = "q"', ".toml", "unknown regex flag"),
        ("slotz = 3", ".toml", "slotz"),
        ("fail_rate = 0.7\ndrop_rate = 0.5", ".toml", "more than 1"),
        ("fail_statuses = [200]", ".toml", "HTTP errors"),
        ("ttft = -1", ".toml", "ttft"),
        ('replay = [{answer = "x"}]', ".toml", "exactly one of `prompt` or `messages`"),
        ('replay = "missing.jsonl"', ".toml", "relative to the configuration file"),
        ("slots = ", ".toml", "not valid TOML"),
        ("{", ".json", "not valid JSON"),
        ("slots: 3", ".yaml", "reads .toml or .json"),
        ("[1, 2]", ".json", "at the top level"),
    ],
)
def test_mistakes_are_explained(tmp_path: Path, content: str, suffix: str, message: str) -> None:
    path = tmp_path / f"sim{suffix}"
    path.write_text(content)
    with pytest.raises(SimConfigError, match=message) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SimConfigError, match="pass --config with an existing"):
        load_config(tmp_path / "nope.toml")
