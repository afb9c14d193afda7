"""The simulator end to end: the official openai SDK against the real server on loopback.

Timing assertions read the schedule the server recorded (``/sim/log``), never the wall clock;
the only timing facts asserted are ones a sleep guarantees (nothing happens early).
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import jsonschema
import openai
import pytest
from pydantic import BaseModel, Field

from opportune.sim import ReplayEntry, Rule, SimConfig, SimServer, count_tokens
from opportune.sim._config import DEFAULT_ANSWER

FAST = {"ttft": 0.01, "tpot": 0.001}
USER = [{"role": "user", "content": "Say something."}]

RULES = (
    Rule(pattern=r"capital of (\w+)", answer="The capital of {1} is Example City."),
    Rule(
        pattern=r"(?P<item>apples|pears)", flags="i", answers=["{item}: yes {hash}", "{item}: no"]
    ),
    Rule(pattern=r"^echo: (.*)$", flags="s", answer="{1}"),
    Rule(pattern="give json", answer='{{"city": "Paris", "population": 2100000}}'),
)
REPLAY = (
    ReplayEntry(prompt="recorded question", answer="recorded answer", latency=0.08, ttft=0.03),
    ReplayEntry(
        messages=(
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "recorded chat"},
        ),
        answer="recorded reply",
    ),
)


def client(sim: SimServer, **kw: Any) -> openai.OpenAI:
    return openai.OpenAI(base_url=sim.base_url, api_key="sim", max_retries=0, **kw)


def aclient(sim: SimServer, **kw: Any) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=sim.base_url, api_key="sim", max_retries=0, **kw)


def log(sim: SimServer) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{sim.url}/sim/log") as response:
        requests: list[dict[str, Any]] = json.load(response)["requests"]
    return requests


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(SimConfig(rules=RULES, replay=REPLAY, **FAST)) as server:
        yield server


# ---- shapes the SDK must parse --------------------------------------------------------------


def test_chat_plain(sim: SimServer) -> None:
    reply = client(sim).chat.completions.create(model="any-model", messages=USER)
    assert reply.object == "chat.completion"
    assert reply.model == "any-model"
    assert reply.choices[0].message.content == DEFAULT_ANSWER
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None
    assert reply.usage.completion_tokens == count_tokens(DEFAULT_ANSWER)
    assert reply.usage.prompt_tokens == count_tokens("Say something.") + 1
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


@pytest.mark.parametrize("include_usage", [True, False])
def test_chat_stream(sim: SimServer, include_usage: bool) -> None:
    stream = client(sim).chat.completions.create(
        model="m",
        messages=USER,
        stream=True,
        stream_options={"include_usage": include_usage},
    )
    chunks = list(stream)
    content = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
    assert "".join(content) == DEFAULT_ANSWER
    assert len(content) == count_tokens(DEFAULT_ANSWER)  # one chunk per token
    assert chunks[0].choices[0].delta.role == "assistant"
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop" and set(finishes[:-1]) == {None}
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    if include_usage:
        assert chunks[-1].choices == [] and chunks[-1].usage is not None
        assert chunks[-1].usage.completion_tokens == len(content)
    else:
        assert all(c.usage is None for c in chunks)


def test_raw_sse_ends_with_done(sim: SimServer) -> None:
    body = json.dumps({"model": "m", "messages": USER, "stream": True}).encode()
    request = urllib.request.Request(
        f"{sim.base_url}/chat/completions", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        events = [e for e in response.read().decode().split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events)
    assert events[-1] == "data: [DONE]"
    assert json.loads(events[0][6:])["object"] == "chat.completion.chunk"


def test_async_client_plain_and_stream(sim: SimServer) -> None:
    async def scenario() -> tuple[str | None, str]:
        async with aclient(sim) as c:
            plain = await c.chat.completions.create(model="m", messages=USER)
            stream = await c.chat.completions.create(model="m", messages=USER, stream=True)
            parts = [ch.choices[0].delta.content or "" async for ch in stream if ch.choices]
        return plain.choices[0].message.content, "".join(parts)

    plain, streamed = asyncio.run(scenario())
    assert plain == streamed == DEFAULT_ANSWER


def test_completions_plain_and_stream(sim: SimServer) -> None:
    c = client(sim)
    plain = c.completions.create(model="m", prompt="What is the capital of France?")
    assert plain.object == "text_completion"
    assert plain.choices[0].text == "The capital of France is Example City."
    assert plain.usage is not None and plain.usage.prompt_tokens == count_tokens(
        "What is the capital of France?"
    )
    chunks = list(
        c.completions.create(
            model="m", prompt="capital of Peru", stream=True, stream_options={"include_usage": True}
        )
    )
    assert "".join(ch.choices[0].text for ch in chunks if ch.choices) == (
        "The capital of Peru is Example City."
    )
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0


def test_models_say_it_is_a_simulator(sim: SimServer) -> None:
    models = client(sim).models.list().data
    assert [m.id for m in models] == ["opportune-sim"]
    assert "simulator, not a language model" in str(models[0].model_extra)
    assert client(sim).models.retrieve("gpt-x").id == "gpt-x"
    assert "simulator, not a language model" in sim.banner


# ---- the response model ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("What is the capital of Chile?", "The capital of Chile is Example City."),
        ("echo: two\nlines", "two\nlines"),
        ("nothing matches", DEFAULT_ANSWER),
    ],
)
def test_rule_templates(sim: SimServer, prompt: str, expected: str) -> None:
    reply = client(sim).chat.completions.create(
        model="m", messages=[{"role": "user", "content": prompt}]
    )
    assert reply.choices[0].message.content == expected


def test_answers_list_is_picked_by_prompt_hash(sim: SimServer) -> None:
    c = client(sim)

    def ask(prompt: str) -> str:
        reply = c.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])
        return reply.choices[0].message.content or ""

    answers = [ask(f"do you like APPLES, question {i}?") for i in range(12)]
    assert answers == [ask(f"do you like APPLES, question {i}?") for i in range(12)]
    assert {a.split(" ")[1] for a in answers} == {"yes", "no"}
    assert all(a.startswith("APPLES: ") for a in answers)
    yes = [a for a in answers if " yes " in a]
    assert len({a.rsplit(" ", 1)[1] for a in yes}) == len(yes)  # {hash} differs per prompt


def test_replay_answer_and_recorded_latency(sim: SimServer) -> None:
    c = client(sim)
    sim.reset()
    assert c.completions.create(model="m", prompt="recorded question").choices[0].text == (
        "recorded answer"
    )
    chat = c.chat.completions.create(
        model="m",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "recorded chat"},
        ],
    )
    assert chat.choices[0].message.content == "recorded reply"
    first, second = log(sim)
    assert first["source"] == second["source"] == "replay"
    assert first["first_token"] - first["start"] == pytest.approx(0.03)
    assert first["last_token"] - first["start"] >= 0.08  # recorded latency, not the model's


class City(BaseModel):
    name: str
    population: int = Field(ge=0)
    districts: list[str]
    mayor: str | None = None


def test_json_schema_answers_validate(sim: SimServer) -> None:
    c = client(sim)
    schema = City.model_json_schema()
    contents = {}
    for topic in ("Lyon", "Porto", "Turin"):
        parsed = c.beta.chat.completions.parse(
            model="m",
            messages=[{"role": "user", "content": f"Describe {topic}"}],
            response_format=City,
        )
        city = parsed.choices[0].message.parsed
        assert isinstance(city, City)
        contents[topic] = parsed.choices[0].message.content or ""
        jsonschema.validate(json.loads(contents[topic]), schema)
    assert len(set(contents.values())) == 3  # the prompt's hash varies the instance
    raw = c.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "Describe Lyon"}],
        response_format={"type": "json_schema", "json_schema": {"name": "City", "schema": schema}},
    )
    assert raw.choices[0].message.content == contents["Lyon"]  # same prompt, same instance
    again = c.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "Describe Lyon"}],
        response_format={"type": "json_schema", "json_schema": {"name": "City", "schema": schema}},
    )
    assert again.choices[0].message.content == raw.choices[0].message.content


def test_json_rule_wins_for_schema_and_json_object(sim: SimServer) -> None:
    c = client(sim)
    schema = {"type": "object", "properties": {"city": {"type": "string"}}}
    reply = c.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "give json"}],
        response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": schema}},
    )
    assert json.loads(reply.choices[0].message.content or "") == {
        "city": "Paris",
        "population": 2100000,
    }
    obj = c.chat.completions.create(
        model="m", messages=USER, response_format={"type": "json_object"}
    )
    assert json.loads(obj.choices[0].message.content or "") == {"answer": DEFAULT_ANSWER}


def test_max_tokens_and_stop(sim: SimServer) -> None:
    c = client(sim)
    cut = c.chat.completions.create(model="m", messages=USER, max_tokens=3)
    assert cut.choices[0].finish_reason == "length"
    assert cut.choices[0].message.content == "This is a"
    assert cut.usage is not None and cut.usage.completion_tokens == 3
    stopped = c.completions.create(model="m", prompt="x", stop=[" simulated"])
    assert stopped.choices[0].text == "This is a"
    assert stopped.choices[0].finish_reason == "stop"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"messages": []}, "non-empty list"),
        ({"messages": USER, "n": 2}, "one choice per request"),
        ({"messages": [{"content": "no role"}]}, "string `role`"),
        ({"messages": USER, "max_tokens": 0}, "positive integer"),
        ({"messages": USER, "response_format": {"type": "yaml"}}, "json_schema"),
        (
            {
                "messages": USER,
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {
                        "name": "p",
                        "schema": {"type": "string", "pattern": "^[0-9]+$"},
                    },
                },
            },
            "add a rule",
        ),
    ],
)
def test_bad_requests_are_explained(sim: SimServer, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(openai.BadRequestError, match=message):
        client(sim).chat.completions.create(model="m", **kwargs)


def test_unknown_path_names_the_endpoints(sim: SimServer) -> None:
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"{sim.url}/v1/embeddings")
    assert info.value.code == 404
    assert "/v1/chat/completions" in json.load(info.value)["error"]["message"]


# ---- the capacity model -----------------------------------------------------------------


def test_four_slots_eight_calls_four_queue() -> None:
    with SimServer(SimConfig(ttft=0.3, tpot=0.001, slots=4)) as sim:

        async def burst() -> list[str]:
            async with aclient(sim) as c:
                replies = await asyncio.gather(
                    *(
                        c.chat.completions.create(
                            model="m", messages=[{"role": "user", "content": f"call {i}"}]
                        )
                        for i in range(8)
                    )
                )
            return [r.choices[0].message.content or "" for r in replies]

        assert asyncio.run(burst()) == [DEFAULT_ANSWER] * 8
        entries = log(sim)

    assert len(entries) == 8
    queued = [e for e in entries if e["queued"]]
    direct = [e for e in entries if not e["queued"]]
    assert len(queued) == 4 and len(direct) == 4
    assert {e["slot"] for e in direct} == {0, 1, 2, 3}
    # A queued call starts only when a slot's previous call has sent its last token.
    by_slot: dict[int, list[dict[str, Any]]] = {}
    for e in sorted(entries, key=lambda e: e["start"]):
        by_slot.setdefault(e["slot"], []).append(e)
    assert sorted(len(v) for v in by_slot.values()) == [2, 2, 2, 2]
    for runs in by_slot.values():
        assert runs[1]["start"] >= runs[0]["last_token"]
        assert runs[1]["queued"] and not runs[0]["queued"]
    for e in queued:
        assert e["start"] - e["arrival"] > 0
        assert e["start"] >= min(d["last_token"] for d in direct)
    # First come, first served among the queued.
    assert [e["id"] for e in sorted(queued, key=lambda e: e["arrival"])] == [
        e["id"] for e in sorted(queued, key=lambda e: e["start"])
    ]
    for e in entries:  # timing never runs early
        assert e["first_token"] - e["start"] >= 0.3
        assert e["last_token"] - e["first_token"] >= 0.001 * (e["completion_tokens"] - 1)


def test_rate_limit_answers_429_with_retry_after() -> None:
    with SimServer(SimConfig(rpm=2, rpm_window=30, **FAST)) as sim:
        c = client(sim)
        for _ in range(2):
            c.chat.completions.create(model="m", messages=USER)
        with pytest.raises(openai.RateLimitError) as info:
            c.chat.completions.create(model="m", messages=USER)
        headers = info.value.response.headers
        assert 1 <= int(headers["retry-after"]) <= 30
        assert 0 < int(headers["retry-after-ms"]) <= 30_000
        assert "2 requests per 30 s" in info.value.message
        statuses = [e["status"] for e in log(sim)]
    assert statuses == [200, 200, 429]


def test_sdk_retry_honours_retry_after() -> None:
    with SimServer(SimConfig(rpm=1, rpm_window=1.5, **FAST)) as sim:
        c = openai.OpenAI(base_url=sim.base_url, api_key="sim", max_retries=3)
        for _ in range(2):
            c.chat.completions.create(model="m", messages=USER)
        entries = log(sim)
    assert [e["status"] for e in entries].count(200) == 2
    assert 429 in [e["status"] for e in entries]
    refused = [e for e in entries if e["status"] == 429]
    second = [e for e in entries if e["status"] == 200][1]
    assert second["arrival"] >= refused[0]["arrival"]


def _fault_run(seed: int) -> list[str]:
    outcomes = []
    with SimServer(SimConfig(fail_rate=0.5, seed=seed, **FAST)) as sim:
        c = client(sim)
        for i in range(16):
            try:
                c.chat.completions.create(
                    model="m", messages=[{"role": "user", "content": f"question {i}"}]
                )
                outcomes.append("ok")
            except openai.InternalServerError as exc:
                assert "fault injection" in exc.message
                outcomes.append(str(exc.status_code))
        assert [e["fault"] is not None for e in log(sim)] == [o != "ok" for o in outcomes]
    return outcomes


def test_fault_injection_is_reproducible() -> None:
    first = _fault_run(seed=11)
    assert _fault_run(seed=11) == first
    assert 2 <= first.count("ok") <= 14
    assert set(first) - {"ok"} <= {"500", "503"} and set(first) != {"ok"}
    assert _fault_run(seed=12) != first


def test_retries_get_through_faults() -> None:
    config = SimConfig(fail_rate=0.6, drop_rate=0.2, fault_limit=1, seed=5, **FAST)
    with SimServer(config) as sim:
        c = openai.OpenAI(base_url=sim.base_url, api_key="sim", max_retries=2)
        answers = [
            c.chat.completions.create(model="m", messages=[{"role": "user", "content": f"q{i}"}])
            .choices[0]
            .message.content
            for i in range(5)
        ]
        entries = log(sim)
    assert answers == [DEFAULT_ANSWER] * 5
    assert len(entries) > 5  # some attempts failed and were retried
    assert sum(e["status"] == 200 for e in entries) == 5


def test_dropped_stream_breaks_mid_answer_then_recovers() -> None:
    with SimServer(SimConfig(drop_rate=1.0, fault_limit=1, **FAST)) as sim:
        c = client(sim)
        received: list[str] = []
        with pytest.raises(openai.APIConnectionError):
            for chunk in c.chat.completions.create(model="m", messages=USER, stream=True):
                if chunk.choices and chunk.choices[0].delta.content:
                    received.append(chunk.choices[0].delta.content)
        assert 0 < len(received) < count_tokens(DEFAULT_ANSWER)
        retry = c.chat.completions.create(model="m", messages=USER, stream=True)
        assert "".join(ch.choices[0].delta.content or "" for ch in retry if ch.choices) == (
            DEFAULT_ANSWER
        )
        with pytest.raises(openai.APIConnectionError):
            c.completions.create(model="m", prompt="dropped before any answer")
        faults = [e["fault"] for e in log(sim)]
    assert faults == ["connection dropped", None, "connection dropped"]


# ---- the server's lifecycle ---------------------------------------------------------------


def test_start_stop_and_reset() -> None:
    server = SimServer(slots=2, **FAST)
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.base_url
    server.start()
    try:
        with pytest.raises(RuntimeError, match="already running"):
            server.start()
        client(server).chat.completions.create(model="m", messages=USER)
        assert len(server.schedule()) == 1 and server.schedule()[0].slot == 0
        server.reset()
        assert server.schedule() == [] and server.fetch_log()["requests"] == []
        url = server.url
    finally:
        server.stop()
    server.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{url}/v1/models", timeout=2)
