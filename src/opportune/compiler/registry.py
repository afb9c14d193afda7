"""Which code objects opportune compiled.

Compiled code may hold pending values; code opportune did not compile must only ever see real
ones. The runtime asks this registry which side of that line a function or frame is on.
"""

from __future__ import annotations

import types

_compiled_ids: set[int] = set()
_keep_alive: list[types.CodeType] = []


def register_code(code: types.CodeType) -> None:
    """Record ``code`` and every code object nested in it (functions, lambdas, classes)."""
    stack = [code]
    while stack:
        c = stack.pop()
        if id(c) in _compiled_ids:
            continue
        _compiled_ids.add(id(c))
        _keep_alive.append(c)
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))


def is_compiled_code(code: types.CodeType) -> bool:
    return id(code) in _compiled_ids


def is_compiled_function(fn: object) -> bool:
    return type(fn) is types.FunctionType and id(fn.__code__) in _compiled_ids
