"""A latency-modelled OpenAI-compatible server, for tests and benchmarks.

Benchmarks of a compound AI program need an endpoint that behaves like a hosted API in time
(time to first token, time per token, a limited number of requests decoding at once, rate limits,
occasional failures) but answers deterministically and costs nothing. The simulator is that
endpoint: answers come from rules, a recorded call log or the requested JSON schema, timing
from a capacity model, and every request's schedule is recorded for assertions.

    from opportune.sim import SimServer, SimConfig

    with SimServer(SimConfig(ttft=0.05, tpot=0.002, slots=4)) as sim:
        client = openai.OpenAI(base_url=sim.base_url, api_key="sim")
        ...
        sim.schedule()  # or GET {sim.url}/sim/log

It is not a language model, and says so in ``/v1/models`` and on start-up.
"""

from opportune.sim._config import ReplayEntry, Rule, SimConfig, SimConfigError, load_config
from opportune.sim._gates import Gate, SimGateError
from opportune.sim._schedule import ScheduleEntry
from opportune.sim._server import SimServer
from opportune.sim._tokens import count_tokens

__all__ = [
    "Gate",
    "ReplayEntry",
    "Rule",
    "ScheduleEntry",
    "SimConfig",
    "SimConfigError",
    "SimGateError",
    "SimServer",
    "count_tokens",
    "load_config",
]
