"""``python -m benchmarks [--quick] [--only APP,...] [--with quasar,lift,serve] [--tag NAME]``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from benchmarks.apps import APP_NAMES

app = typer.Typer(add_completion=False)


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


@app.command()
def main(
    quick: Annotated[bool, typer.Option(help="Halved latencies and a smaller batch (< 3 min).")] = False,
    only: Annotated[str | None, typer.Option(help=f"Comma-separated apps: {', '.join(APP_NAMES)}.")] = None,
    with_: Annotated[str | None, typer.Option("--with", help="Optional sections: quasar,lift,serve.")] = None,
    scale: Annotated[float | None, typer.Option(help="Latency factor for the LLM and tools.")] = None,
    no_overhead: Annotated[bool, typer.Option(help="Skip the core overhead measurements.")] = False,
    tag: Annotated[str | None, typer.Option(help="Name part for the result files and timelines, "
                                            "e.g. 'stream' -> <date>-<host>-stream.md.")] = None,
) -> None:
    """Run the apps sequentially, under opportune (streaming off, then on) and as asyncio."""
    from benchmarks.runner import run_all

    try:
        data = run_all(quick=quick, only=_split(only), with_=_split(with_), scale=scale,
                       overhead=not no_overhead, tag=tag, echo=lambda s: print(s, file=sys.stderr))
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0])) from None
    print(data["markdown"])
    print("written: " + ", ".join(data["files"]), file=sys.stderr)


if __name__ == "__main__":
    app()
