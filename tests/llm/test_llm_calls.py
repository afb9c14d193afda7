"""complete/chat/chat_response/stream with the real SDK against a real loopback server."""

from __future__ import annotations

import openai
import pytest
from openai.types.chat import ChatCompletion

from opportune import llm
from opportune.runtime.context import CallInfo, set_current_call
from opportune.runtime.externals import spec_of

PROGRAM_HEADER, THREAD_HEADER, CALL_HEADER, PARENTS_HEADER = (
    "x-opportune-program", "x-opportune-thread", "x-opportune-call", "x-opportune-parents")

FAST = {"backoff_initial": 0.01, "backoff_max": 0.05}


def test_complete_returns_the_answer_text(endpoint):
    assert llm.complete("hello there") == "echo: hello there"
    (seen,) = endpoint.chat_requests()
    assert seen.body["model"] == "loopback-model"
    assert seen.body["messages"] == [{"role": "user", "content": "hello there"}]


def test_complete_with_system_and_sampling_options(endpoint):
    llm.complete("q", system="be brief", temperature=0, max_tokens=7, seed=3)
    (seen,) = endpoint.chat_requests()
    assert seen.body["messages"][0] == {"role": "system", "content": "be brief"}
    assert (seen.body["temperature"], seen.body["max_tokens"], seen.body["seed"]) == (0, 7, 3)


def test_chat_and_chat_response(endpoint):
    messages = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
                {"role": "user", "content": "c"}]
    assert llm.chat(messages) == "echo: c"
    response = llm.chat_response(messages, model="other-model")
    assert isinstance(response, ChatCompletion)
    assert response.model == "other-model"
    assert response.usage is not None and response.usage.completion_tokens == 2


@pytest.mark.parametrize("fn", [llm.complete, llm.chat, llm.chat_response])
def test_calls_are_external_functions(fn):
    spec = spec_of(fn)
    assert spec is not None and spec.pure and spec.name.startswith("opportune.llm.")
    assert spec.returns is (ChatCompletion if fn is llm.chat_response else str)


def test_usage_is_recorded_with_the_call_identity(endpoint):
    info = CallInfo(program_id="prog-7", thread_id=2, call_id=41, parents=(3, 5))
    previous = set_current_call(info)
    try:
        llm.complete("one two three")
    finally:
        set_current_call(previous)
    llm.complete("four")
    first, second = llm.usage_log()
    assert (first.prompt_tokens, first.completion_tokens, first.call) == (3, 4, info)
    assert (second.prompt_tokens, second.call) == (1, None)
    assert first.base_url == endpoint.base_url and not first.cached and first.attempts == 1


def test_usage_by_call_sums_per_call_of_one_program(endpoint):
    calls = [CallInfo("run-a", 0, 1), CallInfo("run-a", 0, 1), CallInfo("run-a", 0, 2),
             CallInfo("run-b", 0, 1)]
    for info in calls:
        previous = set_current_call(info)
        try:
            llm.complete("two words")
        finally:
            set_current_call(previous)
    llm.complete("no call at all")
    assert llm.usage_by_call("run-a") == {
        1: {"prompt_tokens": 4, "completion_tokens": 6, "total_tokens": 10, "requests": 2},
        2: {"prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5, "requests": 1},
    }
    assert list(llm.usage_by_call("run-b")) == [1]


def test_usage_listener_sees_each_record(endpoint):
    got = []
    remove = llm.on_usage(got.append)
    llm.complete("x")
    remove()
    llm.complete("y")
    assert [r.total_tokens for r in got] == [3]


def test_headers_come_from_the_current_call(endpoint):
    info = CallInfo(program_id="p-1", thread_id=0, call_id=9, parents=(1, 2))
    previous = set_current_call(info)
    try:
        llm.chat([{"role": "user", "content": "hi"}])
    finally:
        set_current_call(previous)
    llm.complete("outside")
    inside, outside = endpoint.chat_requests()
    assert inside.headers[PROGRAM_HEADER] == "p-1"
    assert inside.headers[THREAD_HEADER] == "0"
    assert inside.headers[CALL_HEADER] == "9"
    assert inside.headers[PARENTS_HEADER] == "1,2"
    assert PROGRAM_HEADER not in outside.headers


def test_stream_yields_pieces_of_the_answer(endpoint):
    pieces = list(llm.stream("tell me more"))
    assert len(pieces) == 4 and "".join(pieces) == "echo: tell me more"
    assert endpoint.chat_requests()[0].body["stream"] is True
    (record,) = llm.usage_log()
    assert record.route == "chat.completions(stream)" and record.completion_tokens == 4


def test_opening_a_stream_is_retried(endpoint):
    endpoint.fail(429, {"retry-after-ms": "10"})
    endpoint.drop()
    assert "".join(llm.stream("again please", **FAST)) == "echo: again please"
    (record,) = llm.usage_log()
    assert record.attempts == 3 and len(endpoint.chat_requests()) == 3


# --- retries -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("script", "expected_attempts"),
    [
        ([("fail", 500)], 2),
        ([("fail", 502), ("fail", 503)], 3),
        ([("fail", 429)], 2),
        ([("drop", None)], 2),
        ([("drop", None), ("fail", 500), ("drop", None)], 4),
    ],
)
def test_transient_failures_are_retried(endpoint, script, expected_attempts):
    for kind, arg in script:
        endpoint.fail(arg) if kind == "fail" else endpoint.drop()
    assert llm.complete("retry me", **FAST) == "echo: retry me"
    assert len(endpoint.chat_requests()) == expected_attempts
    (record,) = llm.usage_log()
    assert record.attempts == expected_attempts and len(record.retry_waits) == expected_attempts - 1


def test_retry_after_is_honoured(endpoint):
    endpoint.fail(429, {"Retry-After": "1"})
    endpoint.fail(503, {"retry-after-ms": "300"})
    assert llm.complete("slow down", **FAST) == "echo: slow down"
    (record,) = llm.usage_log()
    assert record.attempts == 3
    assert record.retry_waits[0] >= 1.0
    assert 0.3 <= record.retry_waits[1] < 1.0


@pytest.mark.parametrize("status", [400, 401, 404, 422])
def test_client_errors_are_not_retried(endpoint, status):
    endpoint.fail(status)
    with pytest.raises(openai.APIStatusError) as raised:
        llm.complete("bad", **FAST)
    assert raised.value.status_code == status
    assert len(endpoint.chat_requests()) == 1


def test_attempts_run_out_with_the_sdk_error(endpoint):
    for _ in range(3):
        endpoint.fail(429)
    with pytest.raises(openai.RateLimitError):
        llm.complete("never", max_attempts=3, **FAST)
    # exactly max_attempts requests: the SDK's own retries are off
    assert len(endpoint.chat_requests()) == 3


def test_per_call_timeout(endpoint):
    endpoint.delay(5)
    with pytest.raises(openai.APITimeoutError):
        llm.complete("wait", timeout=0.3, max_attempts=1)
    assert llm.complete("quick", timeout=5) == "echo: quick"


# --- cache -------------------------------------------------------------------------------

def test_cache_is_off_by_default(endpoint, isolated):
    llm.complete("same")
    llm.complete("same")
    assert len(endpoint.chat_requests()) == 2
    assert not (isolated / llm.CACHE_DIR).exists()


def test_cache_hit_skips_the_endpoint(endpoint, isolated):
    assert llm.complete("same", cache=True, temperature=0) == "echo: same"
    assert llm.complete("same", cache=True, temperature=0) == "echo: same"
    assert len(endpoint.chat_requests()) == 1
    llm.complete("same", cache=True, temperature=1)  # a different request: a miss
    assert len(endpoint.chat_requests()) == 2
    assert [r.cached for r in llm.usage_log()] == [False, True, False]
    files = sorted((isolated / llm.CACHE_DIR).rglob("*.json"))
    assert len(files) == 2 and not any(f.name.startswith(".tmp-") for f in files)


def test_cache_from_environment_and_pyproject(endpoint, isolated, monkeypatch):
    monkeypatch.setenv("OPPORTUNE_CACHE", "1")
    llm.complete("env")
    llm.complete("env")
    assert len(endpoint.chat_requests()) == 1
    monkeypatch.delenv("OPPORTUNE_CACHE")
    (isolated / "pyproject.toml").write_text("[tool.opportune]\ncache = true\n")
    llm.complete("toml")
    llm.complete("toml")
    assert len(endpoint.chat_requests()) == 2
    llm.complete("toml", cache=False)
    assert len(endpoint.chat_requests()) == 3


def test_corrupt_cache_entry_is_a_miss(endpoint, isolated):
    llm.complete("fragile", cache=True)
    (entry,) = (isolated / llm.CACHE_DIR).rglob("*.json")
    entry.write_text("{not json")
    assert llm.complete("fragile", cache=True) == "echo: fragile"
    assert len(endpoint.chat_requests()) == 2


def test_request_key_ignores_dict_order_but_not_content():
    a = llm.request_key("chat", "u", {"model": "m", "messages": [{"role": "user", "content": "x"}]})
    b = llm.request_key("chat", "u", {"messages": [{"content": "x", "role": "user"}], "model": "m"})
    c = llm.request_key("chat", "u", {"model": "m", "messages": [{"role": "user", "content": "y"}]})
    assert a == b != c


# --- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("call", "error", "hint"),
    [
        (lambda: llm.chat("just a string"), TypeError, "complete(prompt)"),
        (lambda: llm.chat([]), TypeError, "non-empty list"),
        (lambda: llm.chat([{"content": "no role"}]), TypeError, "'role'"),
        (lambda: llm.complete(["a list"]), TypeError, "chat(messages)"),
        (lambda: llm.complete("x", stream=True), ValueError, "opportune.llm.stream"),
        (lambda: llm.complete("x", timeout="soon"), llm.ConfigError, "timeout"),
        (lambda: llm.complete("x", max_attempts=0), llm.ConfigError, "max_attempts"),
    ],
)
def test_bad_input_gets_a_teaching_error(endpoint, call, error, hint):
    with pytest.raises(error, match=None) as raised:
        call()
    assert hint in str(raised.value)
    assert endpoint.chat_requests() == []


# --- endpoint and client -----------------------------------------------------------------

def test_single_model_endpoint_needs_no_model_setting(loopback, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", loopback.base_url)
    assert llm.complete("which model?") == "echo: which model?"
    assert loopback.chat_requests()[0].body["model"] == "loopback-model"


def test_several_models_and_none_chosen_is_an_error(loopback, monkeypatch):
    loopback.models = ["alpha", "beta"]
    monkeypatch.setenv("OPENAI_BASE_URL", loopback.base_url + "/")
    with pytest.raises(llm.ConfigError, match="OPPORTUNE_MODEL") as raised:
        llm.complete("x")
    assert "alpha, beta" in str(raised.value)


def test_one_shared_client_per_endpoint_and_key():
    a = llm.client_for("http://127.0.0.1:1/v1", "k1")
    assert llm.client_for("http://127.0.0.1:1/v1", "k1") is a
    assert llm.client_for("http://127.0.0.1:1/v1", "k2") is not a
    assert a.max_retries == 0
