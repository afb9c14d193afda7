"""The known-externals registry: wrap in place, behave the same, undo exactly."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import sys
import textwrap

import httpx2
import openai
import openai.resources.chat.completions as chat_mod
import openai.resources.embeddings as emb_mod
import pytest
from openai.types.chat import ChatCompletion

from opportune.integrations import (
    install_known_externals,
    installed_patches,
    known_externals,
    register_known_external,
)
from opportune.runtime.externals import spec_of
from opportune.sim import SimConfig, SimServer

OPENAI_METHODS = [
    (chat_mod.Completions, "create", "openai.chat.completions.create", False),
    (chat_mod.AsyncCompletions, "create", "openai.chat.completions.create (async)", True),
    (emb_mod.Embeddings, "create", "openai.embeddings.create", False),
    (emb_mod.AsyncEmbeddings, "create", "openai.embeddings.create (async)", True),
]


@pytest.fixture(scope="module")
def sim():
    with SimServer(SimConfig(ttft=0.001, tpot=0.0001)) as server:
        yield server


@pytest.mark.parametrize(("cls", "attr", "name", "is_async"), OPENAI_METHODS)
def test_install_wraps_with_a_pure_spec_and_uninstall_restores(cls, attr, name, is_async):
    original = cls.__dict__[attr]
    assert spec_of(original) is None
    uninstall = install_known_externals()
    spec = spec_of(cls.__dict__[attr])
    assert spec is not None and spec.name == name and spec.pure and spec.is_async is is_async
    assert inspect.unwrap(cls.__dict__[attr].__opportune_target__) is inspect.unwrap(original)
    uninstall()
    assert cls.__dict__[attr] is original


def test_install_is_idempotent():
    uninstall = install_known_externals()
    wrapper = chat_mod.Completions.create
    assert install_known_externals() is uninstall
    assert chat_mod.Completions.create is wrapper
    assert spec_of(wrapper.__opportune_target__) is None  # wrapped once, not twice
    uninstall()
    uninstall()  # a second undo is harmless
    assert spec_of(chat_mod.Completions.create) is None


@pytest.mark.parametrize(
    ("qualname", "reads", "writes"),
    [("get", {"http"}, set()), ("Client.get", {"http"}, set()), ("Client.head", {"http"}, set()),
     ("Client.post", set(), {"http"}), ("AsyncClient.put", set(), {"http"}),
     ("delete", set(), {"http"}), ("Client.patch", set(), {"http"})],
)
def test_http_verbs_read_or_write_the_http_resource(qualname, reads, writes):
    install_known_externals()
    owner = httpx2
    *path, attr = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    spec = spec_of(getattr(owner, attr))
    assert spec is not None and spec.reads == reads and spec.writes == writes


def test_missing_libraries_are_skipped():
    install_known_externals()
    applied = installed_patches()
    assert "openai.resources.chat.completions:Completions.create" in applied
    for module in ("anthropic.resources.messages", "requests"):
        if importlib.util.find_spec(module.split(".")[0]) is None:
            assert not any(key.startswith(module + ":") for key in applied)
    assert any(e.module == "anthropic.resources.messages" for e in known_externals())


def _chat(client: openai.OpenAI) -> ChatCompletion:
    return client.chat.completions.create(
        model="opportune-sim", messages=[{"role": "user", "content": "same question"}]
    )


def test_sdk_calls_behave_identically_without_a_runtime(sim):
    client = openai.OpenAI(base_url=sim.base_url, api_key="sim", max_retries=0)
    before = _chat(client)
    uninstall = install_known_externals()
    try:
        after = _chat(client)
    finally:
        uninstall()
    assert type(after) is type(before)
    assert after.choices[0].message.content == before.choices[0].message.content


def test_sdk_calls_go_through_the_runtime_when_one_is_active(sim, runtime):
    install_known_externals()
    client = openai.OpenAI(base_url=sim.base_url, api_key="sim", max_retries=0)
    response = _chat(client)
    assert response.choices[0].message.content
    names = [spec.name for spec, _ in runtime.issued]
    assert names == ["openai.chat.completions.create"]


def test_async_sdk_calls_still_await_without_a_runtime(sim):
    install_known_externals()

    async def main() -> str:
        async with openai.AsyncOpenAI(base_url=sim.base_url, api_key="sim", max_retries=0) as c:
            response = await c.chat.completions.create(
                model="opportune-sim", messages=[{"role": "user", "content": "hi"}])
            return response.choices[0].message.content or ""

    assert asyncio.run(main())


def test_http_get_and_post_through_the_runtime(sim, runtime):
    install_known_externals()
    got = httpx2.get(f"{sim.base_url}/models")
    with httpx2.Client() as client:
        posted = client.post(f"{sim.base_url}/chat/completions", json={
            "model": "opportune-sim", "messages": [{"role": "user", "content": "x"}]})
    assert got.status_code == 200 and posted.status_code == 200
    issued = [(spec.name, spec.reads, spec.writes) for spec, _ in runtime.issued]
    assert issued == [("httpx2.get", {"http"}, frozenset()),
                      ("httpx2.Client.post", frozenset(), {"http"})]


# --- user entries ------------------------------------------------------------------------

@pytest.fixture
def user_module(tmp_path, monkeypatch):
    (tmp_path / "weather_sdk_for_tests.py").write_text(textwrap.dedent("""
        class Client:
            def forecast(self, city):
                return f"sunny in {city}"

            @staticmethod
            def ping():
                return "pong"

        def lookup(code):
            return code.upper()
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "weather_sdk_for_tests"
    sys.modules.pop("weather_sdk_for_tests", None)


def test_user_entry_is_applied_when_its_module_is_imported_later(user_module, runtime):
    register_known_external(user_module, "Client.forecast", reads="weather")
    register_known_external(user_module, "Client.ping")
    uninstall = install_known_externals()
    assert user_module not in sys.modules
    module = importlib.import_module(user_module)
    assert module.Client().forecast("Oslo") == "sunny in Oslo"
    assert module.Client.ping() == "pong"
    specs = [spec for spec, _ in runtime.issued]
    assert [s.name for s in specs] == [f"{user_module}.Client.forecast", f"{user_module}.Client.ping"]
    assert specs[0].reads == {"weather"}
    uninstall()
    assert spec_of(module.Client.forecast) is None and spec_of(module.Client.ping) is None


def test_user_entry_on_an_imported_module_applies_at_once(user_module):
    module = importlib.import_module(user_module)
    original = module.lookup
    install_known_externals()
    register_known_external(user_module, "lookup", writes="codes", name="lookup code")
    spec = spec_of(module.lookup)
    assert spec is not None and spec.writes == {"codes"} and spec.name == "lookup code"
    assert module.lookup("ab") == "AB"  # no runtime: runs in place
    register_known_external(user_module, "lookup", reads="codes")  # replacing an entry
    assert spec_of(module.lookup).reads == {"codes"}
    assert module.lookup.__opportune_target__ is original


@pytest.mark.parametrize(
    ("args", "options", "error", "hint"),
    [
        (("m", "f"), {"read": "x"}, TypeError, "unknown option(s) read"),
        (("m", "Client.not valid"), {}, ValueError, "qualified name"),
        (("", "f"), {}, ValueError, "import name"),
        (("m", "f"), {"max_concurrency": 0}, ValueError, "max_concurrency"),
    ],
)
def test_bad_registrations_get_teaching_errors(args, options, error, hint):
    with pytest.raises(error) as raised:
        register_known_external(*args, **options)
    assert hint in str(raised.value)
    assert not any(e.module == "m" for e in known_externals())
