"""``opportune sim serve``: run the latency simulator in the foreground."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from opportune.sim import SimConfig, SimConfigError, SimServer, load_config

DEFAULT_PORT = 8900


def register(app: typer.Typer) -> None:
    sim_app = typer.Typer(
        name="sim",
        help="A latency-modelled OpenAI-compatible server for tests and benchmarks.",
        no_args_is_help=True,
    )
    sim_app.command("serve")(serve)
    app.add_typer(sim_app, name="sim")


def serve(
    port: Annotated[
        int | None,
        typer.Option(help=f"Port to listen on; 0 picks a free one. [default: {DEFAULT_PORT}]"),
    ] = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="TOML or JSON file with rules, replay log, timing."),
    ] = None,
    ttft: Annotated[float | None, typer.Option(help="Seconds to the first token.")] = None,
    tpot: Annotated[float | None, typer.Option(help="Seconds per further token.")] = None,
    slots: Annotated[int | None, typer.Option(help="Requests decoding at once.")] = None,
    rpm: Annotated[
        int | None, typer.Option(help="Requests per minute before answering 429.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the fault injection.")] = None,
    fail_rate: Annotated[
        float | None,
        typer.Option(help="Share of requests answered with HTTP 500/503."),
    ] = None,
    drop_rate: Annotated[
        float | None,
        typer.Option(help="Share of requests whose connection is dropped mid-answer."),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model name in /v1/models.")] = None,
) -> None:
    """Serve /v1/chat/completions, /v1/completions and /v1/models until interrupted."""
    console = Console(highlight=False)
    overrides = {
        "host": host,
        "port": port,
        "ttft": ttft,
        "tpot": tpot,
        "slots": slots,
        "rpm": rpm,
        "seed": seed,
        "fail_rate": fail_rate,
        "drop_rate": drop_rate,
        "model": model,
    }
    try:
        settings = (
            load_config(config, **overrides)
            if config is not None
            else SimConfig().with_overrides(**overrides)
        )
        if "port" not in settings.model_fields_set:
            settings = settings.with_overrides(port=DEFAULT_PORT)
        server = SimServer(settings).start()
    except SimConfigError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2) from None

    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        console.print(server.banner, soft_wrap=True)
        console.print(f"schedule log: {server.url}/sim/log   (Ctrl-C stops)", soft_wrap=True)
        console.file.flush()
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        console.print("opportune sim: stopped")
