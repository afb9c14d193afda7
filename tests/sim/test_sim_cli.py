"""``opportune sim serve`` as a user runs it: a real process, stopped with Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import openai

COMMAND = [sys.executable, "-m", "opportune", "sim", "serve"]


def test_serve_prints_url_answers_and_stops(tmp_path: Path) -> None:
    config = tmp_path / "sim.toml"
    config.write_text('ttft = 0.01\ntpot = 0.001\n[[rules]]\npattern = "ping"\nanswer = "pong"\n')
    process = subprocess.Popen(
        [*COMMAND, "--port", "0", "--config", str(config), "--slots", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert "latency simulator, not a language model" in banner
        assert "3 slots" in banner and "ttft 0.01 s" in banner
        match = re.search(r"(http://127\.0\.0\.1:\d+/v1)", banner)
        assert match, banner
        client = openai.OpenAI(base_url=match.group(1), api_key="sim", max_retries=0)
        reply = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "ping"}]
        )
        assert reply.choices[0].message.content == "pong"
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=20)
    assert process.returncode == 0, out
    assert "opportune sim: stopped" in out


def test_bad_config_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "sim.toml"
    config.write_text('[[rules]]\npattern = "(oops"\nanswer = "x"\n')
    done = subprocess.run(
        [*COMMAND, "--config", str(config)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert "escape special characters" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
