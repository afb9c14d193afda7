"""Turning a recorded code action into something both modes run identically.

A program's result is the value of its last top-level statement when that statement is an
expression (as in a notebook cell); otherwise it is a private sentinel. Both modes must run the
same text, so instead of evaluating the last expression separately, the source is changed in
one place: ``RESULT_NAME = `` is inserted in front of that final expression. Every other byte,
and so every line number in a traceback, stays as recorded.
"""

from __future__ import annotations

import ast
import datetime as _datetime
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, EmailStr

RESULT_NAME = "__quasar_result__"


NO_RESULT = object()
"""The result of a program whose last statement is not an expression, as in the artifact.

One shared instance for both modes, so its string form (``<object object at 0x...>``) is the same
in both runs of one process.
"""


def with_result_capture(source: str, filename: str = "<program>") -> str:
    """``source`` with its final expression statement assigned to ``RESULT_NAME``."""
    tree = ast.parse(source, filename=filename)
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return source
    last = tree.body[-1]
    lines = source.splitlines(keepends=True)
    line = lines[last.lineno - 1]
    column = len(line.encode("utf-8")[: last.col_offset].decode("utf-8"))
    offset = sum(len(text) for text in lines[: last.lineno - 1]) + column
    return f"{source[:offset]}{RESULT_NAME} = {source[offset:]}"


def extra_names() -> dict[str, Any]:
    """The helper names every program may use besides the tools."""
    from agentdojo.default_suites.v1.tools.types import (
        CalendarEvent,
        Email,
        EmailStatus,
        EvenStatus,
        SharingPermission,
    )

    return {
        "datetime": _datetime.datetime,
        "date": _datetime.date,
        "time": _datetime.time,
        "timedelta": _datetime.timedelta,
        "timezone": _datetime.timezone,
        "BaseModel": BaseModel,
        "EmailStr": EmailStr,
        "CalendarEvent": CalendarEvent,
        "EvenStatus": EvenStatus,
        "Email": Email,
        "EmailStatus": EmailStatus,
        "SharingPermission": SharingPermission,
    }


def program_globals(
    tools: Mapping[str, Callable[..., Any]],
    query_ai_assistant: Callable[..., Any],
    create_schema: Callable[..., Any],
) -> dict[str, Any]:
    """The module globals a program starts with."""
    names: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
    names.update(extra_names())
    names.update(tools)
    names["CreateSchema"] = create_schema
    names["query_ai_assistant"] = query_ai_assistant
    return names


def result_of(namespace: Mapping[str, Any]) -> Any:
    return namespace.get(RESULT_NAME, NO_RESULT)
