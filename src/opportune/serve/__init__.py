"""Program-aware LLM serving: schedule calls by the program they belong to.

Engines schedule each call on its own; agent programs then suffer head-of-line blocking behind
long programs, and the parallel calls of one program straggle. This package treats the program
as the unit (after Autellix): a scheduler (PLAS, ATLAS and baselines) over multi-level queues, an
OpenAI-compatible gateway that applies it in front of real engines, and a discrete-event
simulator of a continuous-batching engine that measures what the policies buy.
"""

from opportune.serve._balance import LONG_PROMPT_TOKENS, LoadBalancer
from opportune.serve._capacity import load_at_latency, sustained_loads
from opportune.serve._engine import ENGINES, EngineModel, engine_named
from opportune.serve._policy import (
    ATLAS,
    FCFS,
    MLFQ,
    PLAS,
    POLICIES,
    SRPT,
    Levels,
    Policy,
    policy_named,
)
from opportune.serve._programs import Call, ProcessTable, Program
from opportune.serve._scheduler import DEFAULT_BETA, MultiLevelQueue, Scheduler
from opportune.serve._simulator import SimResult, simulate
from opportune.serve._workloads import WORKLOADS, CallSpec, ProgramSpec, generate
from opportune.serve.protocol import (
    CALL_HEADER,
    PARENTS_HEADER,
    PROGRAM_HEADER,
    THREAD_HEADER,
    CallIdentity,
    headers_for,
    identity_from_headers,
)

__all__ = [
    "ATLAS",
    "CALL_HEADER",
    "DEFAULT_BETA",
    "ENGINES",
    "FCFS",
    "LONG_PROMPT_TOKENS",
    "MLFQ",
    "PARENTS_HEADER",
    "PLAS",
    "POLICIES",
    "PROGRAM_HEADER",
    "SRPT",
    "THREAD_HEADER",
    "WORKLOADS",
    "Call",
    "CallIdentity",
    "CallSpec",
    "EngineModel",
    "Gateway",
    "GatewayConfig",
    "Levels",
    "LoadBalancer",
    "MultiLevelQueue",
    "Policy",
    "ProcessTable",
    "Program",
    "ProgramSpec",
    "Scheduler",
    "SimResult",
    "engine_named",
    "generate",
    "headers_for",
    "identity_from_headers",
    "load_at_latency",
    "policy_named",
    "simulate",
    "sustained_loads",
]

from opportune.serve._gateway import Gateway, GatewayConfig
