"""``python -m opportune.model``: the embedded model server process that opportune starts.

It prints one line, ``OPPORTUNE-MODEL-READY <base_url>``, once the model is loaded and the port is
open, then detaches its stdout so that nothing it prints later can block on a full pipe.
"""

from __future__ import annotations

import argparse
import os
import sys

from opportune.model._lifecycle import READY_MARKER, serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m opportune.model")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--parent-pid", type=int, default=None)
    args = parser.parse_args(argv)

    def ready(base_url: str) -> None:
        sys.stdout.write(f"{READY_MARKER} {base_url}\n")
        sys.stdout.flush()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)

    serve_forever(host=args.host, port=args.port, parent_pid=args.parent_pid, on_ready=ready)


if __name__ == "__main__":
    main()
