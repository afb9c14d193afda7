"""``client.chat.completions.create`` streamed under opportune, through the real ``openai`` SDK.

The first half drives the known external's producer the way the runtime drives it and compares
the ``ChatCompletion`` it assembles with the whole answer the same simulator gives. The second
half runs programs with :func:`opportune.run` and reads the recorded schedule: which calls
started before the streamed answer ended, when output was first written, what a program sees
when the connection drops. Every request goes to the project's simulator on loopback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from openai.resources.chat.completions import AsyncCompletions, Completions
from openai.types.chat import ChatCompletion

import opportune
from opportune import CallRecord, Schedule
from opportune.integrations import install_known_externals
from opportune.integrations._openai_chat import streamable
from opportune.runtime.externals import spec_of
from opportune.runtime.streams import RESTART, TextStream
from opportune.sim import Rule, SimConfig, SimServer

MODEL = "opportune-sim"
RULES = (
    Rule(pattern=r"outline (\w+)",
         answer="1. {1} origins\n2. {1} today\n3. {1} tomorrow\n4. {1} and you\n"),
    Rule(pattern=r"expand (.*)", answer="More on {1} #{hash}."),
)
TIMING = {"ttft": 0.002, "tpot": 0.01}
CHAT = "openai.chat.completions.create"


def ask(prompt: str) -> dict[str, Any]:
    return {"model": MODEL, "messages": [{"role": "user", "content": prompt}]}


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(SimConfig(**TIMING, rules=RULES)) as server:
        yield server


def client_for(server: SimServer, max_retries: int = 2) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="sim", max_retries=max_retries)


def produce(client: openai.OpenAI, **kwargs: Any) -> tuple[list[object], Any]:
    """Run the producer as the runtime does: (the pieces and RESTARTs, the returned value)."""
    install_known_externals()
    producer = spec_of(Completions.create).stream
    assert producer is not None
    pieces: list[object] = []
    run = producer(client.chat.completions, **kwargs)
    while True:
        try:
            pieces.append(next(run))
        except StopIteration as end:
            return pieces, end.value


def fed(pieces: list[object]) -> str:
    """The text a TextStream holds after these pieces (RESTART checks the replay)."""
    stream = TextStream()
    for piece in pieces:
        stream.restart() if piece is RESTART else stream.feed(piece)  # type: ignore[arg-type]
    stream.finish()
    return stream.text()


def same_fields(streamed: ChatCompletion, whole: ChatCompletion) -> None:
    """Everything equal but the id and creation time, which differ from request to request;
    the keys the SDK saw set (``to_dict()``) are the same too."""
    assert type(streamed) is ChatCompletion
    assert streamed.model_dump(exclude={"id", "created"}) == \
        whole.model_dump(exclude={"id", "created"})
    assert re.fullmatch(r"chatcmpl-sim\d+", streamed.id) and isinstance(streamed.created, int)
    assert streamed.to_dict().keys() == whole.to_dict().keys()
    assert streamed.choices[0].to_dict() == whole.choices[0].to_dict()


# --- the producer -------------------------------------------------------------------------

def test_only_the_sync_chat_completion_streams():
    install_known_externals()
    spec = spec_of(Completions.create)
    assert spec is not None and spec.stream is not None
    assert spec.stream_path == ((".", "choices"), ("[]", 0), (".", "message"), (".", "content"))
    assert spec_of(AsyncCompletions.create).stream is None


@pytest.mark.parametrize("options", [
    {}, {"max_tokens": 3}, {"stop": ["today"]}, {"temperature": 0, "seed": 7},
    {"n": 1, "stream": False, "logprobs": False},
])
def test_assembled_completion_equals_the_whole_answer(sim, options):
    client = client_for(sim)
    whole = client.chat.completions.create(**ask("outline tea"), **options)
    pieces, streamed = produce(client, **ask("outline tea"), **options)
    assert RESTART not in pieces and len(pieces) > 1, "the answer was not streamed"
    assert "".join(pieces) == streamed.choices[0].message.content
    same_fields(streamed, whole)
    assert streamed.usage is not None and streamed.usage == whole.usage
    plain, stream = sim.schedule()
    assert (plain.stream, stream.stream) == (False, True)


@pytest.mark.parametrize("options", [
    {"logprobs": True}, {"n": 2}, {"extra_body": {"n": 1}}, {"stream_options": {}},
    {"extra_headers": {"X-Stainless-Raw-Response": "true"}},
    {"tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]},
])
def test_options_a_stream_cannot_reproduce_leave_the_request_unchanged(options):
    assert not streamable((), {**ask("x"), **options})


def test_given_nothing_is_not_an_option():
    assert streamable((), {**ask("x"), "n": openai.NOT_GIVEN, "tools": openai.omit,
                           "stream": None, "temperature": 0.3})
    assert not streamable(("positional",), ask("x"))


@pytest.mark.parametrize("options", [{"logprobs": True}, {"stream": True}])
def test_unstreamable_requests_are_sent_as_written(sim, options):
    client = client_for(sim)
    pieces, value = produce(client, **ask("outline tea"), **options)
    assert pieces == []
    if options.get("stream"):
        assert isinstance(value, openai.Stream)
        text = "".join(c.choices[0].delta.content or "" for c in value if c.choices)
    else:
        assert type(value) is ChatCompletion
        text = value.choices[0].message.content
    assert text == client.chat.completions.create(**ask("outline tea")).choices[0].message.content
    assert [e.stream for e in sim.schedule()] == [bool(options.get("stream")), False]


def test_mid_stream_drop_is_retried_and_repeats_the_text():
    """The SDK reads a whole answer inside its retry loop, so a dropped body is retried; the
    streamed request is retried the same way, and the new attempt repeats the text."""
    config = SimConfig(**TIMING, rules=RULES, drop_rate=1.0, fault_limit=1)
    with SimServer(config) as server:
        client = client_for(server, max_retries=1)
        whole = client.chat.completions.create(**ask("outline tea"))
        pieces, streamed = produce(client, **ask("outline tea"))
        schedule = server.schedule()
    assert pieces.count(RESTART) == 1
    before = "".join(p for p in pieces[:pieces.index(RESTART)])  # type: ignore[misc]
    assert before and whole.choices[0].message.content.startswith(before)
    assert fed(pieces) == streamed.choices[0].message.content
    same_fields(streamed, whole)
    assert [(e.stream, e.fault is not None) for e in schedule] == [
        (False, True), (False, False), (True, True), (True, False)]


def test_drops_beyond_max_retries_raise_the_sdk_error_after_as_many_requests():
    config = SimConfig(**TIMING, rules=RULES, drop_rate=1.0)
    with SimServer(config) as server:
        client = client_for(server, max_retries=1)
        with pytest.raises(openai.APIConnectionError) as whole:
            client.chat.completions.create(**ask("outline tea"))
        with pytest.raises(openai.APIConnectionError) as streamed:
            produce(client, **ask("outline tea"))
        schedule = server.schedule()
    assert type(streamed.value) is type(whole.value)
    assert [e.stream for e in schedule] == [False, False, True, True]


def _seed_for_status_then_drop(body: dict[str, Any]) -> int:
    """A simulator seed whose coin gives this request a 5xx first, then a dropped stream."""
    import json

    from opportune.sim._capacity import unit_interval

    key = json.dumps(body, sort_keys=True, ensure_ascii=False)
    for seed in range(10_000):
        if unit_interval(seed, key, 0) < 0.5 <= unit_interval(seed, key, 1):
            return seed
    raise AssertionError("no seed found")


@pytest.mark.parametrize(("max_retries", "outcome"), [(1, "error"), (2, "answer")])
def test_retries_opening_and_mid_stream_share_one_budget(max_retries, outcome):
    body = {**ask("outline tea"), "stream": True, "stream_options": {"include_usage": True}}
    config = SimConfig(**TIMING, rules=RULES, fail_rate=0.5, drop_rate=0.5, fault_limit=2,
                       seed=_seed_for_status_then_drop(body))
    with SimServer(config) as server:
        client = client_for(server, max_retries=max_retries)
        if outcome == "error":
            with pytest.raises(openai.APIConnectionError):
                produce(client, **ask("outline tea"))
        else:
            pieces, streamed = produce(client, **ask("outline tea"))
            assert pieces.count(RESTART) == 1
            assert streamed.choices[0].message.content.startswith("1. tea origins\n")
        faults = [e.fault for e in server.schedule()]
    assert len(faults) == max_retries + 1
    assert faults[0] is not None and faults[0] != "connection dropped"
    assert faults[1] == "connection dropped"


# --- under opportune ------------------------------------------------------------------------

def first_and_rest(schedule: Schedule) -> tuple[CallRecord, list[CallRecord]]:
    calls = sorted(schedule.by_name(CHAT), key=lambda c: c.call_id)
    return calls[0], calls[1:]


class Program:
    """The programs run below, under plain Python and under opportune; ``client`` is set per
    test, as a program would create it at its top."""

    client: openai.OpenAI

    @staticmethod
    def expand_each_line() -> list[str]:
        resp = Program.client.chat.completions.create(**ask("outline tea"))
        out = []
        for line in resp.choices[0].message.content.splitlines():
            more = Program.client.chat.completions.create(**ask("expand " + line))
            out.append(more.choices[0].message.content)
        return out

    @staticmethod
    def print_answer() -> None:
        resp = Program.client.chat.completions.create(**ask("outline tea"))
        print(resp.choices[0].message.content, end="")
        print("after", resp.choices[0].finish_reason, resp.usage.completion_tokens)

    @staticmethod
    def print_objects() -> None:
        resp = Program.client.chat.completions.create(**ask("outline tea"))
        message = resp.choices[0].message
        print(message)
        print(resp.choices[0].finish_reason, resp.model, resp.object, type(resp).__name__)
        print(message.content.upper())

    @staticmethod
    def stop_early() -> list[str]:
        resp = Program.client.chat.completions.create(**ask("outline tea"))
        seen = []
        for i, line in enumerate(resp.choices[0].message.content.splitlines()):
            if i == 2:
                break
            seen.append(Program.client.chat.completions.create(**ask("expand " + line))
                        .choices[0].message.content)
        return seen


def test_calls_on_the_first_lines_start_before_the_sdk_answer_ends(sim):
    Program.client = client_for(sim)
    expected = Program.expand_each_line()
    assert opportune.run(Program.expand_each_line) == expected
    outline, rest = first_and_rest(opportune.last_schedule())
    assert outline.first_token is not None and outline.finished is not None
    assert outline.first_token < outline.finished
    early = [c for c in rest if c.issued < outline.finished]
    assert len(rest) == 4 and len(early) >= 3, "the calls on the first lines waited"


def test_without_streaming_the_lines_wait_for_the_whole_answer(sim, monkeypatch):
    monkeypatch.setenv("OPPORTUNE_STREAM", "0")
    Program.client = client_for(sim)
    expected = Program.expand_each_line()
    assert opportune.run(Program.expand_each_line) == expected
    outline, rest = first_and_rest(opportune.last_schedule())
    assert outline.first_token is None and outline.finished is not None
    assert all(c.issued >= outline.finished for c in rest)
    assert not any(e.stream for e in sim.schedule())


def test_printed_sdk_answer_is_written_before_it_ends(sim, capsys):
    Program.client = client_for(sim)
    Program.print_answer()
    plain = capsys.readouterr().out
    opportune.run(Program.print_answer)
    assert capsys.readouterr().out == plain
    schedule = opportune.last_schedule()
    (call,) = schedule.by_name(CHAT)
    assert schedule.first_output is not None and call.finished is not None
    assert schedule.first_output < call.finished


def test_the_objects_around_the_text_print_as_without_streaming(sim, capsys):
    Program.client = client_for(sim)
    Program.print_objects()
    plain = capsys.readouterr().out
    opportune.run(Program.print_objects)
    assert capsys.readouterr().out == plain
    assert "ChatCompletionMessage(content='1. tea origins" in plain


def test_breaking_out_early_gives_the_same_items(sim):
    Program.client = client_for(sim)
    expected = Program.stop_early()
    assert opportune.run(Program.stop_early) == expected and len(expected) == 2


def lines_of_a_request_sent_whole() -> list[object]:
    resp = Program.client.chat.completions.create(**ask("outline tea"), logprobs=True)
    text = resp.choices[0].message.content
    return [text.startswith("1."), [line.upper() for line in text.splitlines()], resp.usage]


def test_a_request_sent_whole_gives_the_same_text_to_prefix_operations(sim):
    Program.client = client_for(sim)
    expected = lines_of_a_request_sent_whole()
    assert opportune.run(lines_of_a_request_sent_whole) == expected
    (call,) = opportune.last_schedule().by_name(CHAT)
    assert call.first_token is None
    assert [e.stream for e in sim.schedule()] == [False, False]


def raw_responses() -> list[object]:
    raw = Program.client.chat.completions.with_raw_response.create(**ask("outline tea"))
    with Program.client.chat.completions.with_streaming_response.create(
            **ask("outline rye")) as streamed:
        parsed = streamed.parse()
    return [type(raw).__name__, raw.parse().choices[0].message.content,
            type(streamed).__name__, parsed.choices[0].message.content]


def test_raw_responses_are_sent_as_written(sim):
    """``with_raw_response`` wraps the patched ``create`` with ``functools.wraps``, which
    copies the external's spec onto the SDK's wrapper: the wrapper must still run (it asks for
    the HTTP response), and that request is not streamed."""
    install_known_externals()  # before the SDK builds its wrappers, as in `opportune run`
    Program.client = client_for(sim)
    expected = raw_responses()
    assert opportune.run(raw_responses) == expected
    assert expected[0] == "LegacyAPIResponse" and expected[2] == "APIResponse"
    assert not any(e.stream for e in sim.schedule())
    assert len(opportune.last_schedule().by_name(CHAT)) == 2


def test_a_stream_dropped_for_good_fails_the_program_as_without_streaming():
    with SimServer(SimConfig(**TIMING, rules=RULES, drop_rate=1.0)) as server:
        Program.client = client_for(server, max_retries=1)
        with pytest.raises(openai.APIConnectionError):
            Program.expand_each_line()
        with pytest.raises(openai.APIConnectionError):
            opportune.run(Program.expand_each_line)
        schedule = server.schedule()
    # Lines that arrived before the drop started their own calls (whose results are never
    # used); the outline itself was sent as often as without streaming.
    outline = [e.stream for e in schedule if e.prompt_tokens == schedule[0].prompt_tokens]
    assert outline == [False, False, True, True]


def test_a_dropped_stream_retried_gives_the_same_result():
    with SimServer(SimConfig(**TIMING, rules=RULES, drop_rate=1.0, fault_limit=1)) as server:
        Program.client = client_for(server, max_retries=1)
        expected = Program.expand_each_line()
        assert opportune.run(Program.expand_each_line) == expected
        streamed = [e for e in server.schedule() if e.stream]
    assert streamed[0].fault == "connection dropped"


# --- an endpoint that refuses stream_options ----------------------------------------------

@pytest.fixture
def strict_endpoint() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """An OpenAI-compatible endpoint that answers 400 to an option it does not know
    (``stream_options``), as some servers do; records every request body."""
    import asyncio
    import json
    import threading

    from aiohttp import web

    seen: list[dict[str, Any]] = []

    async def chat(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        seen.append(body)
        if "stream_options" in body:
            return web.json_response({"error": {"message": "unknown field: stream_options",
                                                "type": "invalid_request_error"}}, status=400)
        chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": MODEL}
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for i, piece in enumerate(["one\n", "two\n"]):
            delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
            data = {**chunk, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
            await response.write(f"data: {json.dumps(data)}\n\n".encode())
        data = {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        await response.write(f"data: {json.dumps(data)}\n\ndata: [DONE]\n\n".encode())
        return response

    app = web.Application()
    app.add_routes([web.post("/v1/chat/completions", chat)])
    runner = web.AppRunner(app, access_log=None)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    address: list[str] = []

    async def serve() -> None:
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        address.append(f"http://127.0.0.1:{runner.addresses[0][1]}/v1")
        started.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(serve(), loop)
    assert started.wait(10), "the strict endpoint did not start"
    try:
        yield address[0], seen
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def test_an_endpoint_refusing_stream_options_is_asked_without_them(strict_endpoint):
    base_url, seen = strict_endpoint
    client = openai.OpenAI(base_url=base_url, api_key="x", max_retries=0)
    for _ in range(2):
        pieces, streamed = produce(client, **ask("count"))
        assert pieces == ["one\n", "two\n"]
        assert streamed.choices[0].message.content == "one\ntwo\n" and streamed.usage is None
        assert streamed.choices[0].finish_reason == "stop"
    assert ["stream_options" in body for body in seen] == [True, False, False]
    assert all(body["stream"] is True for body in seen)
