"""The gateway against a real loopback engine, through the official openai SDK.

Every SDK test runs twice, once against the engine directly and once through the gateway: the
gateway must be indistinguishable to the client.
"""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.request

import openai
import pytest
from conftest import Stack, start_stack

from opportune.runtime.context import CallInfo
from opportune.serve import PARENTS_HEADER, PROGRAM_HEADER, headers_for
from opportune.serve._gateway import GatewayConfig


def _url(stack: Stack, where: str) -> str:
    return stack.direct_url if where == "direct" else stack.gateway_url


ENDPOINTS = ["direct", "gateway"]


@pytest.mark.parametrize("where", ENDPOINTS)
def test_sync_chat(stack: Stack, where: str) -> None:
    client = openai.OpenAI(base_url=_url(stack, where), api_key="x", max_retries=0)
    out = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "hi there"}]
    )
    assert out.choices[0].message.content == "echo: hi there"
    assert out.usage is not None and out.usage.completion_tokens == 3


@pytest.mark.parametrize("where", ENDPOINTS)
def test_sync_chat_stream(stack: Stack, where: str) -> None:
    client = openai.OpenAI(base_url=_url(stack, where), api_key="x", max_retries=0)
    stream = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "a b c"}], stream=True
    )
    pieces = [c.choices[0].delta.content or "" for c in stream]
    assert "".join(pieces) == "echo: a b c"
    assert len(pieces) >= 4  # really streamed chunk by chunk


@pytest.mark.parametrize("where", ENDPOINTS)
def test_async_chat_and_stream(stack: Stack, where: str) -> None:
    async def go() -> tuple[str, str]:
        client = openai.AsyncOpenAI(base_url=_url(stack, where), api_key="x", max_retries=0)
        one = await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "x"}]
        )
        stream = await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "y z"}], stream=True
        )
        text = "".join([c.choices[0].delta.content or "" async for c in stream])
        await client.close()
        return one.choices[0].message.content or "", text

    assert asyncio.run(go()) == ("echo: x", "echo: y z")


@pytest.mark.parametrize("where", ENDPOINTS)
def test_completions_and_models(stack: Stack, where: str) -> None:
    client = openai.OpenAI(base_url=_url(stack, where), api_key="x", max_retries=0)
    out = client.completions.create(model="m", prompt="hello")
    assert out.choices[0].text == "echo: hello"
    streamed = "".join(
        c.choices[0].text for c in client.completions.create(model="m", prompt="p q", stream=True)
    )
    assert streamed == "echo: p q"
    assert [m.id for m in client.models.list()] == ["test-model"]


def test_program_headers_reach_the_process_table_and_priority_is_forwarded(stack: Stack) -> None:
    client = openai.OpenAI(base_url=stack.gateway_url, api_key="x", max_retries=0)
    for call_id, parents in [(0, ()), (1, (0,)), (2, (0,))]:
        info = CallInfo(program_id="prog-A", thread_id=1, call_id=call_id, parents=parents)
        client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "q"}], extra_headers=headers_for(info)
        )
    client.chat.completions.create(model="m", messages=[{"role": "user", "content": "anon"}])
    metrics = json.load(urllib.request.urlopen(stack.gateway_url.removesuffix("/v1") + "/metrics"))
    assert metrics["programs"]["prog-A"]["completed"] == 3
    assert metrics["programs"]["prog-A"]["service_s"] > 0
    anonymous = [p for p in metrics["programs"] if p.startswith("anon-")]
    assert len(anonymous) == 1
    assert metrics["totals"]["completed"] == 4
    # vLLM's priority field travels in the body; opportune's headers do not leak upstream.
    assert all(
        "priority" in body and isinstance(body["priority"], int) for body in stack.state.received
    )
    assert all(PROGRAM_HEADER not in h and PARENTS_HEADER not in h for h in stack.state.headers)


def test_malformed_header_is_a_clear_400(stack: Stack) -> None:
    client = openai.OpenAI(base_url=stack.gateway_url, api_key="x", max_retries=0)
    with pytest.raises(openai.BadRequestError, match="X-Opportune-Parents"):
        client.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "q"}],
            extra_headers={PROGRAM_HEADER: "p", PARENTS_HEADER: "1,x"},
        )


def test_gateway_holds_calls_beyond_max_inflight() -> None:
    states, servers, gateway, gw = start_stack(max_inflight=3, delay_s=0.05)
    try:

        async def go() -> list[str]:
            client = openai.AsyncOpenAI(base_url=gw.url, api_key="x", max_retries=0)
            outs = await asyncio.gather(
                *[
                    client.chat.completions.create(
                        model="m",
                        messages=[{"role": "user", "content": str(i)}],
                        extra_headers={PROGRAM_HEADER: f"p{i % 5}"},
                    )
                    for i in range(30)
                ]
            )
            await client.close()
            return [o.choices[0].message.content or "" for o in outs]

        assert sorted(asyncio.run(go())) == sorted(f"echo: {i}" for i in range(30))
        assert states[0].peak_inflight == 3  # never more than allowed, and the limit was used
        m = gateway.metrics()["totals"]
        assert m["peak_queued"] >= 20 and m["completed"] == 30 and m["queued"] == 0
    finally:
        gw.__exit__()
        servers[0].__exit__()


@pytest.mark.parametrize(
    ("mode", "error", "status", "words"),
    [
        ("error500", openai.APIStatusError, 502, "answered HTTP 500"),
        ("drop", openai.APIStatusError, 502, "failed"),
        ("hang", openai.APIStatusError, 504, "did not answer within"),
    ],
)
def test_backend_failure_is_a_clear_error_not_a_hang(
    mode: str, error: type, status: int, words: str
) -> None:
    states, servers, gateway, gw = start_stack(timeout_s=0.5)
    states[0].mode = mode
    try:
        client = openai.OpenAI(base_url=gw.url, api_key="x", max_retries=0, timeout=20)
        with pytest.raises(error) as info:
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": "q"}])
        assert info.value.status_code == status
        assert servers[0].url.removesuffix("/v1") in str(info.value) and words in str(info.value)
        # The slot came back: the next call (backend healthy again) goes through.
        states[0].mode = "ok"
        out = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "ok"}]
        )
        assert out.choices[0].message.content == "echo: ok"
        assert gateway.metrics()["totals"]["failed"] == 1
    finally:
        gw.__exit__()
        servers[0].__exit__()


def test_stream_broken_mid_way_raises_in_the_sdk() -> None:
    states, servers, _gateway, gw = start_stack()
    states[0].mode = "stream_drop"
    try:
        client = openai.OpenAI(base_url=gw.url, api_key="x", max_retries=0, timeout=20)
        with pytest.raises(openai.APIError, match="mid-stream"):
            for _ in client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "a b c"}], stream=True
            ):
                pass
    finally:
        gw.__exit__()
        servers[0].__exit__()


def test_unreachable_backend_names_it() -> None:
    from _serve_backend import ServerThread, free_port

    from opportune.serve import Gateway

    dead = f"http://127.0.0.1:{free_port()}/v1"
    gateway = Gateway(GatewayConfig(backends=[dead], timeout_s=5))
    with ServerThread(gateway.app) as gw:
        client = openai.OpenAI(base_url=gw.url, api_key="x", max_retries=0)
        with pytest.raises(openai.APIStatusError) as info:
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": "q"}])
        assert info.value.status_code == 502
        assert dead.removesuffix("/v1") in str(info.value)


def test_short_calls_spread_long_calls_stay_with_their_program() -> None:
    states, servers, _gateway, gw = start_stack(backends=2, delay_s=0.02)
    try:
        client = openai.OpenAI(base_url=gw.url, api_key="x", max_retries=0)
        long_prompt = "word " * 4000  # ~5000 tokens by the gateway's estimate
        for _ in range(4):
            client.chat.completions.create(
                model="m",
                messages=[{"role": "user", "content": long_prompt}],
                extra_headers={PROGRAM_HEADER: "long"},
            )
        hits = [sum(1 for b in s.received if len(str(b)) > 10000) for s in states]
        assert sorted(hits) == [0, 4]

        def short(i: int) -> None:
            client.chat.completions.create(
                model="m",
                messages=[{"role": "user", "content": "s"}],
                extra_headers={PROGRAM_HEADER: f"short{i}"},
            )

        threads = [threading.Thread(target=short, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        shorts = [sum(1 for b in s.received if len(str(b)) < 10000) for s in states]
        assert sum(shorts) == 8 and min(shorts) >= 2
    finally:
        gw.__exit__()
        for s in servers:
            s.__exit__()


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"backends": []}, "no backend"),
        ({"backends": ["localhost:8000"]}, "not an http(s) URL"),
        ({"backends": ["http://h/v1"], "policy": "srpt"}, "simulator only"),
        ({"backends": ["http://h/v1"], "max_inflight": 0}, "at least 1"),
    ],
)
def test_bad_config_is_explained(kwargs: dict, words: str) -> None:
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        GatewayConfig(**kwargs)


def test_a_caller_that_gives_up_while_queued_leaves_the_queue_and_frees_nothing_twice() -> None:
    states, servers, gateway, gw = start_stack(max_inflight=1, delay_s=0.6)
    try:
        patient = openai.OpenAI(base_url=gw.url, api_key="x", max_retries=0, timeout=30)
        impatient = openai.OpenAI(base_url=gw.url, api_key="x", max_retries=0, timeout=0.2)
        first = threading.Thread(
            target=lambda: patient.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "first"}]
            )
        )
        first.start()
        while gateway.metrics()["totals"]["inflight"] == 0:
            threading.Event().wait(0.01)
        with pytest.raises(openai.APITimeoutError):
            impatient.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "gone"}]
            )
        first.join()
        out = patient.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "last"}]
        )
        assert out.choices[0].message.content == "echo: last"
        totals = gateway.metrics()["totals"]
        assert totals["cancelled"] == 1 and totals["queued"] == 0 and totals["inflight"] == 0
        sent = [b["messages"][0]["content"] for b in states[0].received]
        assert sent == ["first", "last"]  # the abandoned call never reached the engine
    finally:
        gw.__exit__()
        servers[0].__exit__()


@pytest.mark.parametrize(
    ("policy", "served"),
    [
        ("fcfs", ["heavy", "fresh"]),  # arrival order
        ("plas", ["fresh", "heavy"]),  # the program with less attained service first
        ("atlas", ["fresh", "heavy"]),  # a root call of a new program inherits nothing
    ],
)
def test_the_gateway_queue_orders_calls_by_policy(policy: str, served: list[str]) -> None:
    states, servers, gateway, gw = start_stack(policy=policy, max_inflight=1, quantum_s=0.01)
    state = states[0]
    try:
        client = openai.OpenAI(base_url=gw.url, api_key="x", max_retries=0, timeout=30)

        def call(program: str, call_id: int = 0, parents: tuple[int, ...] = ()) -> None:
            info = CallInfo(program_id=program, thread_id=0, call_id=call_id, parents=parents)
            client.chat.completions.create(
                model="m",
                messages=[{"role": "user", "content": program}],
                extra_headers=headers_for(info),
            )

        state.delay_s = 0.05
        for i in range(3):  # "heavy" attains service
            call("heavy", i, (i - 1,) if i else ())
        state.delay_s = 0.5
        threads = [threading.Thread(target=call, args=("blocker",))]
        threads[0].start()
        while gateway.metrics()["totals"]["inflight"] == 0:
            threading.Event().wait(0.01)
        for args in [("heavy", 3, (2,)), ("fresh",)]:
            t = threading.Thread(target=call, args=args)
            t.start()
            threads.append(t)
            want = len(threads) - 1
            while gateway.metrics()["totals"]["queued"] < want:
                threading.Event().wait(0.01)
        state.delay_s = 0.0
        for t in threads:
            t.join()
        order = [b["messages"][0]["content"] for b in state.received[4:]]
        assert order == served
        levels = {b["messages"][0]["content"]: b["priority"] for b in state.received[4:]}
        if policy == "fcfs":
            assert set(levels.values()) == {0}
        else:
            assert levels["fresh"] == 0 < levels["heavy"]  # forwarded as vLLM's priority
    finally:
        gw.__exit__()
        servers[0].__exit__()
