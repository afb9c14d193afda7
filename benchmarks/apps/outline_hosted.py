"""The outline app (``outline.py``) under a hosted API's latency model instead of a local server's.

The program is the same; only the simulated timing differs: time to first token 0.4 s and 15 ms
per further token, the simulator's defaults, which docs/simulator.md gives as a hosted API's
figures. Streaming gains grow with the time spent generating, so the streaming benchmark reports
the outline app under both models rather than tuning one of them.
"""

from __future__ import annotations

import sys

from benchmarks.apps._common import AppSpec, Timing
from benchmarks.apps.outline import SPEC as LOCAL_SPEC
from benchmarks.apps.outline import TOPIC, amain
from opportune import llm


def main():
    outline = llm.complete(f"Write an outline of an essay on {TOPIC}, one section title a line.")
    for title in outline.splitlines():
        section = llm.complete(f"Expand the section '{title}' of an essay on {TOPIC}.")
        print(f"## {title}\n{section}\n")


SPEC = AppSpec(
    name="outline_hosted",
    title="Outline, then expand 8 sections, printing each (hosted-API timing)",
    rules=LOCAL_SPEC.rules,
    timing=Timing(ttft=0.4, tpot=0.015),
)

__all__ = ["amain", "main"]

if __name__ == "__main__":
    main(*sys.argv[1:])
