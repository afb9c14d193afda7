"""``opportune model serve``: run the embedded model server in the foreground."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

DEFAULT_PORT = 8771


def register(app: typer.Typer) -> None:
    model_app = typer.Typer(
        name="model",
        help="The embedded local model (SmolLM2-135M-Instruct via llama.cpp).",
        no_args_is_help=True,
    )
    model_app.command("serve")(serve)
    app.add_typer(model_app, name="model")


def serve(
    port: Annotated[int, typer.Option(help="Port to listen on; 0 picks a free one.")] = DEFAULT_PORT,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
) -> None:
    """Serve the embedded model as an OpenAI-compatible endpoint until interrupted.

    Programs on this machine that configure no endpoint use this server instead of starting
    their own; other tools can reach it with OPENAI_BASE_URL.
    """
    from opportune.model import MODEL_NAME, EmbeddedModelUnavailable, serve_forever

    console = Console(stderr=True)

    def ready(base_url: str) -> None:
        console.print(f"[bold]{MODEL_NAME}[/bold] (embedded, llama.cpp) serving at {base_url}")
        console.print(f"  other tools: OPENAI_BASE_URL={base_url}  ·  stop with Ctrl-C")

    try:
        serve_forever(host=host, port=port, announce=True, on_ready=ready)
    except EmbeddedModelUnavailable as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    except OSError as exc:
        console.print(f"[red]error:[/red] cannot listen on {host}:{port} ({exc}); "
                      "choose another port with --port")
        raise typer.Exit(1) from None
