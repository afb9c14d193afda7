"""Errors raised while lifting: each names the construct, the line, and what to do instead."""

from __future__ import annotations


class LiftError(Exception):
    """The function cannot be lifted; ``reason`` says which construct stopped it and where.

    Lifting is all-or-nothing: a kernel is either translated in full into TensIR (and then
    tested and, where possible, proved) or rejected with this error.  Callers that prefer
    a silent fallback should use :func:`opportune.lift.lifted` instead.
    """

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason if line is None else f"line {line}: {reason}"
        self.line = line
        super().__init__(self.reason)


class Fallback(Exception):
    """Raised by generated code when a runtime precondition fails (a slice out of range,
    an empty reduction): the lifted function then runs the original Python instead,
    which reproduces Python's own behaviour, error included."""
