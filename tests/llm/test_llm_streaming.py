"""The streaming producers of ``complete`` and ``chat``, driven the way the runtime drives them.

Under opportune, ``complete`` and ``chat`` are run through their ``stream=`` producer; these
tests iterate that producer directly (its contract: the joined pieces after the last RESTART
are exactly what the function returns) against the latency simulator and the scripted loopback
server, through the real ``openai`` SDK.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import openai
import pytest

from opportune import llm
from opportune.runtime.externals import spec_of
from opportune.runtime.streams import RESTART, TextStream

sim = pytest.importorskip("opportune.sim", reason="the simulator (opportune.sim) is not present")

FAST = {"backoff_initial": 0.01, "backoff_max": 0.05}
TIMING = {"ttft": 0.002, "tpot": 0.0005}
RULES = (
    sim.Rule(pattern=r"outline (\w+)",
             answer="1. {1} origins\n2. {1} today\n3. {1} tomorrow {hash}\n"),
    sim.Rule(pattern=r"capital of (\w+)", answer="The capital of {1} is C-{hash}."),
)
PROMPTS = ["outline tea", "What is the capital of Peru?", "anything else at all", "outline x"]


def complete_pieces(prompt: str, **options: object) -> Iterator[object]:
    producer = spec_of(llm.complete).stream
    assert producer is not None
    return producer(prompt, **options)


def chat_pieces(messages: list[dict[str, str]], **options: object) -> Iterator[object]:
    producer = spec_of(llm.chat).stream
    assert producer is not None
    return producer(messages, **options)


def final_text(pieces: list[object]) -> str:
    """What the runtime's TextStream holds at the end: the text after the last RESTART."""
    last = max((i for i, p in enumerate(pieces) if p is RESTART), default=-1)
    return "".join(str(p) for p in pieces[last + 1:])


@pytest.fixture
def simulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[sim.SimServer]:
    with sim.SimServer(sim.SimConfig(**TIMING, rules=RULES)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        yield server


def test_complete_and_chat_declare_their_producers():
    assert spec_of(llm.complete).stream is not None
    assert spec_of(llm.chat).stream is not None
    assert spec_of(llm.chat_response).stream is None  # returns an object, not text


@pytest.mark.parametrize("prompt", PROMPTS)
def test_joined_pieces_equal_complete(simulator, prompt):
    whole = llm.complete(prompt, temperature=0)
    pieces = list(complete_pieces(prompt, temperature=0))
    assert RESTART not in pieces
    assert len(pieces) > 1, "the answer came as one piece, so nothing was streamed"
    assert "".join(pieces) == whole
    plain, streamed = simulator.schedule()
    assert (plain.stream, streamed.stream) == (False, True)


@pytest.mark.parametrize(
    ("options", "system"),
    [({"max_tokens": 3}, None), ({"stop": ["today"]}, None), ({}, "be brief")],
)
def test_joined_pieces_equal_complete_with_options(simulator, options, system):
    whole = llm.complete("outline tea", system=system, **options)
    assert "".join(complete_pieces("outline tea", system=system, **options)) == whole


def test_joined_pieces_equal_chat(simulator):
    messages = [{"role": "system", "content": "short"}, {"role": "user", "content": "outline go"}]
    assert "".join(chat_pieces(messages)) == llm.chat(messages)


def test_usage_recorded_once_per_streamed_call(simulator):
    for prompt in PROMPTS:
        list(complete_pieces(prompt))
    records = llm.usage_log()
    assert len(records) == len(PROMPTS)
    whole = [e for e in simulator.schedule()]
    for record, entry in zip(records, whole, strict=True):
        assert record.route == "chat.completions(stream)"
        assert record.attempts == 1 and record.retry_waits == ()
        # the usage chunk was asked for (stream_options) and read: the server's own counts
        assert (record.prompt_tokens, record.completion_tokens) == (
            entry.prompt_tokens, entry.completion_tokens)
        assert record.model == simulator.config.model and not record.cached


def test_producer_feeds_a_text_stream_to_the_same_value(simulator):
    """As the runtime does it: every piece (and RESTART) into one TextStream."""
    expected = llm.complete("outline tea")
    stream = TextStream()
    for piece in complete_pieces("outline tea"):
        stream.restart() if piece is RESTART else stream.feed(piece)  # type: ignore[arg-type]
    stream.finish()
    assert stream.text() == expected


# --- failures ----------------------------------------------------------------------------

def test_mid_stream_drop_restarts_with_identical_text(monkeypatch):
    """The simulator drops the connection halfway through the first attempt's answer."""
    config = sim.SimConfig(**TIMING, rules=RULES, drop_rate=1.0, fault_limit=1, seed=3)
    with sim.SimServer(config) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        pieces = list(complete_pieces("outline tea", **FAST))
        schedule = server.schedule()
        (record,) = llm.usage_log()
        whole = llm.complete("outline tea", **FAST)  # its own body: dropped once, retried
    (restart,) = [i for i, p in enumerate(pieces) if p is RESTART]
    before, after = "".join(pieces[:restart]), "".join(pieces[restart + 1:])
    assert before, "no text came before the drop, so nothing had to be taken back"
    assert after.startswith(before) and len(after) > len(before)
    assert after == whole and whole.startswith("1. tea origins\n")
    assert schedule[0].fault is not None and schedule[1].fault is None
    assert record.attempts == 2 and len(record.retry_waits) == 1
    stream = TextStream()
    for piece in pieces:
        stream.restart() if piece is RESTART else stream.feed(piece)  # type: ignore[arg-type]
    stream.finish()
    assert stream.text() == after


def test_flaky_simulator_streams_the_same_answers(monkeypatch):
    prompts = [f"What is the capital of Country{i}?" for i in range(10)]
    with sim.SimServer(sim.SimConfig(**TIMING, rules=RULES)) as clean:
        monkeypatch.setenv("OPENAI_BASE_URL", clean.base_url)
        expected = [llm.complete(p, temperature=0) for p in prompts]
    llm.close_clients()
    llm.clear_usage_log()
    config = sim.SimConfig(**TIMING, rules=RULES, fail_rate=0.3, drop_rate=0.3, seed=11)
    with sim.SimServer(config) as flaky:
        monkeypatch.setenv("OPENAI_BASE_URL", flaky.base_url)
        runs = [list(complete_pieces(p, temperature=0, max_attempts=12, **FAST))
                for p in prompts]
        faults = [e for e in flaky.schedule() if e.status != 200 or e.fault]
    assert [final_text(pieces) for pieces in runs] == expected
    assert any(RESTART in pieces for pieces in runs), "no answer was taken back and repeated"
    assert any(e.fault and "drop" in e.fault for e in faults), "no drop was injected"
    assert sum(r.attempts for r in llm.usage_log()) == len(prompts) + len(faults)


def test_drop_before_any_text_is_retried_without_restart(endpoint):
    endpoint.fail(503)
    endpoint.drop()
    pieces = list(complete_pieces("again please", **FAST))
    assert RESTART not in pieces and "".join(pieces) == "echo: again please"
    (record,) = llm.usage_log()
    assert record.attempts == 3 and len(record.retry_waits) == 2


@pytest.mark.parametrize(("status", "error"), [(400, openai.BadRequestError),
                                               (401, openai.AuthenticationError),
                                               (404, openai.NotFoundError)])
def test_non_retryable_error_raises_the_sdk_exception(endpoint, status, error):
    endpoint.fail(status)
    with pytest.raises(error):
        list(complete_pieces("bad", **FAST))
    assert len(endpoint.chat_requests()) == 1
    assert llm.usage_log() == []


def test_attempts_run_out_with_the_sdk_error(endpoint):
    for _ in range(3):
        endpoint.fail(429)
    with pytest.raises(openai.RateLimitError):
        list(complete_pieces("never", max_attempts=3, **FAST))
    assert len(endpoint.chat_requests()) == 3


def test_mid_stream_drops_beyond_the_attempts_raise_a_connection_error(monkeypatch):
    config = sim.SimConfig(**TIMING, rules=RULES, drop_rate=1.0, seed=3)
    with sim.SimServer(config) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        seen: list[object] = []
        with pytest.raises(openai.APIConnectionError):
            for piece in complete_pieces("outline tea", max_attempts=2, **FAST):
                seen.append(piece)  # noqa: PERF402 - keeps what came before the error
        assert len(server.schedule()) == 2
    assert seen.count(RESTART) == 1


def test_plain_stream_raises_a_mid_stream_drop(monkeypatch):
    """``llm.stream`` cannot take text back, so a drop after text is raised, not retried."""
    config = sim.SimConfig(**TIMING, rules=RULES, drop_rate=1.0, fault_limit=1, seed=3)
    with sim.SimServer(config) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        seen: list[str] = []
        with pytest.raises(openai.APIConnectionError):
            for piece in llm.stream("outline tea", **FAST):
                seen.append(piece)  # noqa: PERF402 - keeps what came before the error
        assert seen and len(server.schedule()) == 1


def test_an_error_event_in_the_stream_raises_the_sdk_api_error(endpoint):
    endpoint.stream_error("the model is overloaded")
    seen: list[str] = []
    with pytest.raises(openai.APIError, match="the model is overloaded") as raised:
        for piece in llm.stream("hello"):
            seen.append(piece)  # noqa: PERF402 - keeps what came before the error
    assert seen == ["partial"]
    assert not isinstance(raised.value, openai.APIConnectionError)  # not retried: not transient
    assert len(endpoint.chat_requests()) == 1


def _chunk(text: str, index: int = 0) -> str:
    return json.dumps({"id": "r9", "model": "m-raw", "object": "chat.completion.chunk",
                       "choices": [{"index": index, "delta": {"content": text}}]})


def test_events_are_parsed_as_server_sent_events(endpoint):
    """Comments and other fields are skipped, a ``data`` field split over lines is joined,
    text of other choices is left out, and nothing after ``[DONE]`` is read."""
    usage = json.dumps({"id": "r9", "choices": [],
                        "usage": {"prompt_tokens": 4, "completion_tokens": 3}})
    first = _chunk("Hel").replace(', "choices"', ',\ndata: "choices"')
    body = (f": keep-alive\n\nevent: message\nid: 1\ndata: {first}\n\n"
            f"data:{_chunk('lo')}\r\n\r\n"
            f"data: {_chunk('ignored', index=1)}\n\n"
            f"retry: 10\ndata: {_chunk(' you')}\n\n"
            f"data: {usage}\n\ndata: [DONE]\n\ndata: {_chunk('after done')}\n\n")
    endpoint.stream_raw(body.encode())
    assert list(llm.stream("raw")) == ["Hel", "lo", " you"]
    (record,) = llm.usage_log()
    assert (record.model, record.prompt_tokens, record.completion_tokens) == ("m-raw", 4, 3)


def test_a_stream_without_any_choice_is_an_empty_response(endpoint):
    endpoint.stream_raw(b'data: {"id": "r0", "choices": []}\n\ndata: [DONE]\n\n')
    with pytest.raises(llm.EmptyResponseError, match="r0"):
        list(llm.stream("nothing"))


# --- same request, same checks -----------------------------------------------------------

def test_request_carries_settings_headers_and_stream_flags(endpoint):
    pieces = list(complete_pieces("hi there", temperature=0.5, seed=7))
    assert "".join(pieces) == "echo: hi there"
    (seen,) = endpoint.chat_requests()
    assert seen.body["stream"] is True
    assert seen.body["stream_options"] == {"include_usage": True}
    assert seen.body["temperature"] == 0.5 and seen.body["seed"] == 7
    assert seen.body["model"] == "loopback-model"
    (record,) = llm.usage_log()
    assert record.completion_tokens == len(pieces)  # no usage chunk: the piece count stands in


@pytest.mark.parametrize(
    ("fn", "args", "kwargs", "error", "hint"),
    [
        (llm.complete, (["a list"],), {}, TypeError, "chat(messages)"),
        (llm.complete, ("x",), {"stream": True}, ValueError, "opportune.llm.stream"),
        (llm.complete, ("x",), {"messages": []}, TypeError, "sets messages itself"),
        (llm.complete, ("x",), {"max_attempts": 0}, llm.ConfigError, "max_attempts"),
        (llm.complete, ("x",), {"timeout": "soon"}, llm.ConfigError, "timeout"),
        (llm.chat, ("just a string",), {}, TypeError, "complete(prompt)"),
        (llm.chat, ([],), {}, TypeError, "non-empty list"),
        (llm.chat, ([{"content": "no role"}],), {}, TypeError, "'role'"),
    ],
)
def test_producers_check_arguments_like_the_functions(endpoint, fn, args, kwargs, error, hint):
    producer = spec_of(fn).stream
    assert producer is not None
    with pytest.raises(error) as by_function:
        fn(*args, **dict(kwargs))
    with pytest.raises(error) as by_producer:
        list(producer(*args, **dict(kwargs)))
    assert hint in str(by_producer.value)
    assert str(by_producer.value) == str(by_function.value)
    assert endpoint.chat_requests() == []


# --- cache -------------------------------------------------------------------------------

def test_cache_on_yields_the_whole_answer_as_one_piece(endpoint, isolated):
    first = list(complete_pieces("same", cache=True, temperature=0))
    second = list(complete_pieces("same", cache=True, temperature=0))
    assert first == second == ["echo: same"]
    assert llm.complete("same", cache=True, temperature=0) == "echo: same"
    (request,) = endpoint.chat_requests()  # stored by the first, served to the others
    assert "stream" not in request.body
    assert [r.cached for r in llm.usage_log()] == [False, True, True]
    assert len(list((isolated / llm.CACHE_DIR).rglob("*.json"))) == 1


# --- under the runtime -------------------------------------------------------------------

PROGRAM = """
from opportune import llm
for line in llm.complete("outline tea", **OPTIONS).splitlines():
    print(llm.complete("expand " + line, **OPTIONS))
"""
EXPAND = (sim.Rule(pattern=r"expand (.*)", answer="More on {1}."),)


def _plain_output(capsys: pytest.CaptureFixture[str]) -> str:
    exec(compile(PROGRAM, "<program>", "exec"), {"__name__": "__main__", "OPTIONS": FAST})  # noqa: S102
    return capsys.readouterr().out


def _opportune_output(capsys: pytest.CaptureFixture[str]) -> str:
    from opportune.api import run_source

    run_source(PROGRAM, {"OPTIONS": FAST})
    return capsys.readouterr().out


def test_program_under_opportune_streams_and_prints_the_same(monkeypatch, capsys):
    # slow tokens so that the outline is still generating when its first line is complete
    config = sim.SimConfig(ttft=0.005, tpot=0.02, rules=RULES + EXPAND)
    with sim.SimServer(config) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        plain = _plain_output(capsys)
        server.reset()
        got = _opportune_output(capsys)
        outline, *expands = server.schedule()
    assert got == plain and plain.startswith("More on 1. tea origins.\n")
    assert outline.stream and len(expands) == 3
    # a call on the outline's first line reached the server before the outline ended
    assert outline.last_token is not None
    assert min(e.arrival for e in expands) < outline.last_token
    streamed = [r for r in llm.usage_log() if r.route == "chat.completions(stream)"]
    assert len(streamed) == 4 and all(r.attempts == 1 for r in streamed)


def test_program_under_opportune_survives_a_mid_stream_drop(monkeypatch, capsys):
    with sim.SimServer(sim.SimConfig(**TIMING, rules=RULES + EXPAND)) as clean:
        monkeypatch.setenv("OPENAI_BASE_URL", clean.base_url)
        plain = _plain_output(capsys)
    llm.close_clients()
    llm.clear_usage_log()
    config = sim.SimConfig(**TIMING, rules=RULES + EXPAND, drop_rate=1.0, fault_limit=1, seed=5)
    with sim.SimServer(config) as flaky:
        monkeypatch.setenv("OPENAI_BASE_URL", flaky.base_url)
        got = _opportune_output(capsys)
        drops = [e for e in flaky.schedule() if e.fault == "connection dropped"]
    assert got == plain
    assert len(drops) == 4 and all(e.stream and e.first_token is not None for e in drops)
    assert sorted(r.attempts for r in llm.usage_log()) == [2, 2, 2, 2]


def test_streaming_off_sends_whole_requests(monkeypatch, capsys):
    monkeypatch.setenv("OPPORTUNE_STREAM", "0")
    with sim.SimServer(sim.SimConfig(**TIMING, rules=RULES + EXPAND)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        got = _opportune_output(capsys)
        schedule = server.schedule()
    assert got.startswith("More on 1. tea origins.\n") and got.count("\n") == 3
    assert len(schedule) == 4 and not any(e.stream for e in schedule)
    assert {r.route for r in llm.usage_log()} == {"chat.completions"}
