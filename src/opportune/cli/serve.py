"""``opportune serve``: the program-aware gateway and the scheduling simulator."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

serve_app = typer.Typer(
    name="serve",
    help="Program-aware LLM serving: a scheduling gateway and its simulator.",
    no_args_is_help=True,
)


@serve_app.command("gateway")
def gateway(
    backend: Annotated[
        list[str],
        typer.Option(
            "--backend", help="Engine base URL (repeatable), e.g. http://127.0.0.1:8000/v1"
        ),
    ],
    policy: Annotated[str, typer.Option(help="fcfs | mlfq | plas | atlas")] = "atlas",
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8100,
    max_inflight: Annotated[
        int,
        typer.Option(
            "--max-inflight",
            help="Calls in flight per backend; the rest wait in the gateway's queues.",
        ),
    ] = 64,
    timeout: Annotated[
        float,
        typer.Option(help="Seconds a backend may stay silent before the call fails with HTTP 504."),
    ] = 600.0,
    quantum: Annotated[
        float, typer.Option(help="Service seconds of the top queue's quantum (doubles per queue).")
    ] = 1.0,
    priority: Annotated[
        bool,
        typer.Option(
            "--priority/--no-priority",
            help="Forward vLLM's `priority` field (needs vLLM --scheduling-policy priority).",
        ),
    ] = True,
) -> None:
    """Run an OpenAI-compatible gateway that schedules calls by program."""
    from opportune.serve._gateway import GatewayConfig, serve_gateway

    try:
        config = GatewayConfig(
            backends=backend,
            policy=policy.lower(),
            max_inflight=max_inflight,
            timeout_s=timeout,
            quantum_s=quantum,
            forward_priority=priority,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    console = Console(stderr=True)

    def ready(gw, runner) -> None:  # type: ignore[no-untyped-def]
        console.print(
            f"opportune gateway on http://{host}:{port}/v1 policy={config.policy} "
            f"backends={', '.join(config.backends)} max_inflight={max_inflight}"
        )

    try:
        asyncio.run(serve_gateway(config, host, port, ready=ready))
    except KeyboardInterrupt:
        pass


@serve_app.command("simulate")
def simulate_cmd(
    workload: Annotated[str, typer.Option(help="chat | tools | tree | mixed")] = "mixed",
    policy: Annotated[str, typer.Option(help="fcfs | mlfq | plas | atlas | srpt")] = "atlas",
    load: Annotated[float, typer.Option(help="Offered work / engine capacity.")] = 0.9,
    programs: Annotated[int, typer.Option(help="Programs to simulate.")] = 300,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same result).")] = 0,
    engine: Annotated[
        str, typer.Option(help="Engine profile: small | llama8b-a100 (see docs/serving.md).")
    ] = "small",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Simulate programs on a continuous-batching engine under a scheduling policy."""
    from opportune.serve import simulate

    try:
        result = simulate(
            workload.lower(), policy.lower(), load=load, programs=programs, seed=seed, engine=engine
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    data = result.as_dict()
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    table = Table(title=f"{workload} / {policy} at load {load}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in data.items():
        table.add_row(key, f"{value:.4g}" if isinstance(value, float) else str(value))
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(serve_app, name="serve")
