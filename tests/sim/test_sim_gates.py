"""Gates hold requests until their group is in flight together: the official openai SDK against
the real server on loopback, asserting on the schedule the server recorded."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from pydantic import ValidationError

from opportune.sim import Gate, SimConfig, SimConfigError, SimGateError, SimServer


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(SimConfig(ttft=0.001, tpot=0.0)) as server:
        yield server


def ask(client: openai.AsyncOpenAI, prompt: str) -> Any:
    return client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": prompt}])


def aclient(sim: SimServer) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=sim.base_url, api_key="sim", max_retries=0)


def test_a_gate_holds_its_group_until_every_request_arrived(sim: SimServer) -> None:
    async def main() -> None:
        client = aclient(sim)
        first = asyncio.ensure_future(ask(client, "part 1"))
        await ask(client, "something else")  # not in the gate: answered at once
        assert not first.done()
        await asyncio.gather(first, ask(client, "part 2"), ask(client, "part 3"))
        await ask(client, "part 4")  # the gate opened once; later matches pass
        await client.close()

    with sim.gated(Gate(pattern=r"part \d", count=3, name="parts")):
        asyncio.run(main())
    entries = {e.id: e for e in sim.schedule()}
    gated = [e for e in entries.values() if e.gate == "parts"]
    assert len(gated) == 3
    last_arrival = max(e.arrival for e in gated)
    assert all(e.start is not None and e.start >= last_arrival for e in gated)
    assert sum(e.gate is None for e in entries.values()) == 2


def test_a_serialised_group_fails_naming_the_gate_and_what_arrived(sim: SimServer) -> None:
    client = openai.OpenAI(base_url=sim.base_url, api_key="sim", max_retries=0)
    with (pytest.raises(SimGateError, match=r"gate 'parts': 1 of 2 requests"),
          sim.gated(Gate(pattern="part", count=2, timeout=0.2, name="parts"))):
        with pytest.raises(openai.BadRequestError,
                           match=r"gate 'parts' held this request 0.2 s .* only 1 arrived"):
            client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "part 1"}])
        # the gate is broken: the next request of its group fails at once
        with pytest.raises(openai.BadRequestError, match="only 1 arrived"):
            client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "part 2"}])
    # disarmed: nothing is held any more
    client.chat.completions.create(model="m", messages=[{"role": "user", "content": "part 3"}])


def test_a_gate_that_saw_too_few_requests_is_reported_on_leaving(sim: SimServer) -> None:
    with (pytest.raises(SimGateError, match=r"gate 'nothing matches': 0 of 2 requests"),
          sim.gated(Gate(pattern="nothing matches", count=2))):
        pass


def test_a_gate_is_validated_with_the_fix_named() -> None:
    with pytest.raises(ValidationError, match="not a valid Python regular expression"):
        Gate(pattern="(", count=2)
    with pytest.raises(ValidationError, match="greater than or equal to 2"):
        Gate(pattern="x", count=1)
    with pytest.raises(ValidationError, match="unknown regex flag"):
        Gate(pattern="x", count=2, flags="q")
    with pytest.raises(ValidationError, match="greater than 0"):
        Gate(pattern="x", count=2, timeout=0)


def post(sim: SimServer, body: bytes) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(f"{sim.url}/sim/gates", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_arming_over_http_names_what_is_wrong(sim: SimServer) -> None:
    status, body = post(sim, b'{"gates": [{"pattern": "(", "count": 2}]}')
    assert status == 400 and "gates[0]" in body["error"]["message"]
    assert "not a valid Python regular expression" in body["error"]["message"]
    status, body = post(sim, b'{"gate": []}')
    assert status == 400 and "at least one gate" in body["error"]["message"]
    with sim.gated(Gate(pattern="x", count=2, name="x")):
        status, body = post(sim, b'{"gates": [{"pattern": "y", "count": 2}]}')
        assert status == 409 and "already armed" in body["error"]["message"]
        with (pytest.raises(SimConfigError, match="already armed"),
              sim.gated(Gate(pattern="y", count=2))):
            pass
        client = openai.OpenAI(base_url=sim.base_url, api_key="sim", max_retries=0)
        futures = []
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            for _ in range(2):
                futures.append(pool.submit(
                    client.chat.completions.create, model="m",
                    messages=[{"role": "user", "content": "x"}]))
        assert all(f.result().choices[0].message.content for f in futures)
