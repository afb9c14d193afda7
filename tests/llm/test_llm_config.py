"""Settings precedence: call options, then environment, then [tool.opportune], then defaults."""

from __future__ import annotations

import pytest

from opportune import llm
from opportune.llm._config import DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT

TOML = """
[tool.opportune]
base_url = "http://toml.invalid/v1"
model = "toml-model"
cache = true
timeout = 12.5
max_attempts = 2
"""


def test_defaults_without_any_configuration(isolated):
    settings = llm.load_settings()
    assert (settings.base_url, settings.api_key, settings.model, settings.cache) == (
        None, None, None, False)
    assert settings.timeout == DEFAULT_TIMEOUT and settings.max_attempts == DEFAULT_MAX_ATTEMPTS
    assert not settings.endpoint_configured
    assert settings.project_root == isolated.resolve()


def test_pyproject_table_is_found_from_a_subdirectory(isolated, monkeypatch):
    (isolated / "pyproject.toml").write_text(TOML)
    sub = isolated / "src" / "deep"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    settings = llm.load_settings()
    assert settings.base_url == "http://toml.invalid/v1" and settings.model == "toml-model"
    assert settings.cache is True and settings.timeout == 12.5 and settings.max_attempts == 2
    assert settings.project_root == isolated.resolve()
    assert "pyproject.toml" in settings.sources["model"]


@pytest.mark.parametrize(
    ("env", "field", "expected"),
    [
        ({"OPENAI_BASE_URL": "http://env.invalid/v1"}, "base_url", "http://env.invalid/v1"),
        ({"OPPORTUNE_MODEL": "env-model"}, "model", "env-model"),
        ({"OPPORTUNE_CACHE": "0"}, "cache", False),
        ({"OPPORTUNE_CACHE": "false"}, "cache", False),
        ({"OPENAI_API_KEY": "sk-env"}, "api_key", "sk-env"),
        ({"OPENAI_BASE_URL": ""}, "base_url", "http://toml.invalid/v1"),  # empty = unset
    ],
)
def test_environment_overrides_pyproject(isolated, monkeypatch, env, field, expected):
    (isolated / "pyproject.toml").write_text(TOML)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert getattr(llm.load_settings(), field) == expected


def test_call_options_override_everything(endpoint, isolated, monkeypatch):
    (isolated / "pyproject.toml").write_text('[tool.opportune]\nmodel = "toml-model"\n')
    monkeypatch.delenv("OPPORTUNE_MODEL")
    llm.complete("a")
    monkeypatch.setenv("OPPORTUNE_MODEL", "env-model")
    llm.complete("b")
    llm.complete("c", model="call-model")
    assert [s.body["model"] for s in endpoint.chat_requests()] == [
        "toml-model", "env-model", "call-model"]


def test_api_key_reaches_the_endpoint(loopback, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", loopback.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    llm.complete("x", model="m")
    assert loopback.chat_requests()[0].headers["authorization"] == "Bearer sk-secret"


@pytest.mark.parametrize(
    ("table", "hint"),
    [
        ('cache = "maybe"', "cache"),
        ("timeout = -1", "timeout"),
        ("max_attempts = 0", "max_attempts"),
        ('model = ""', "model"),
        ('modle = "x"', "unknown setting 'modle'"),
        ("= broken", "not valid TOML"),
    ],
)
def test_bad_pyproject_values_name_the_key_and_file(isolated, table, hint):
    (isolated / "pyproject.toml").write_text(f"[tool.opportune]\n{table}\n")
    with pytest.raises(llm.ConfigError) as raised:
        llm.load_settings()
    assert hint in str(raised.value) and "pyproject.toml" in str(raised.value)


def test_bad_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("OPPORTUNE_CACHE", "sometimes")
    with pytest.raises(llm.ConfigError, match="OPPORTUNE_CACHE"):
        llm.load_settings()


def test_an_edited_pyproject_is_read_again(isolated):
    path = isolated / "pyproject.toml"
    path.write_text('[tool.opportune]\nmodel = "one"\n')
    assert llm.load_settings().model == "one"
    path.write_text('[tool.opportune]\nmodel = "two-two"\n')
    assert llm.load_settings().model == "two-two"


def test_a_key_alone_means_the_hosted_openai_api(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPPORTUNE_MODEL", "gpt-4o-mini")
    endpoint = llm.resolve_endpoint(llm.load_settings())
    assert (endpoint.base_url, endpoint.api_key, endpoint.model, endpoint.embedded) == (
        "https://api.openai.com/v1", "sk-test", "gpt-4o-mini", False)
