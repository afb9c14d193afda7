"""Fixtures: a real loopback engine (``_serve_backend``) and the gateway in front of it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _serve_backend import BackendState, ServerThread, make_app

from opportune.serve import Gateway, GatewayConfig


class Stack:
    """A backend and a gateway in front of it, both real HTTP servers on loopback."""

    def __init__(
        self, state: BackendState, backend: ServerThread, gateway: Gateway, gw: ServerThread
    ):
        self.state = state
        self.backend = backend
        self.gateway = gateway
        self.gateway_server = gw

    @property
    def direct_url(self) -> str:
        return self.backend.url

    @property
    def gateway_url(self) -> str:
        return self.gateway_server.url


def start_stack(
    policy: str = "atlas",
    max_inflight: int = 4,
    timeout_s: float = 30.0,
    delay_s: float = 0.0,
    backends: int = 1,
    **kw,
):  # type: ignore[no-untyped-def]
    states = [BackendState(delay_s=delay_s) for _ in range(backends)]
    servers = [ServerThread(lambda s=s: make_app(s)) for s in states]
    for s in servers:
        s.__enter__()
    gateway = Gateway(
        GatewayConfig(
            backends=[s.url for s in servers],
            policy=policy,
            max_inflight=max_inflight,
            timeout_s=timeout_s,
            **kw,
        )
    )
    gw = ServerThread(gateway.app)
    gw.__enter__()
    return states, servers, gateway, gw


@pytest.fixture
def stack() -> Iterator[Stack]:
    states, servers, gateway, gw = start_stack()
    try:
        yield Stack(states[0], servers[0], gateway, gw)
    finally:
        gw.__exit__()
        for s in servers:
            s.__exit__()
