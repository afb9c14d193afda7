"""Which code objects opportune compiled.

Compiled code may hold pending values; code opportune did not compile must only ever see real
ones. The runtime asks this registry which side of that line a function or frame is on.
"""

from __future__ import annotations

import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opportune.compiler.purity import Purity

_compiled_ids: set[int] = set()
_keep_alive: list[types.CodeType] = []
_pure_at: dict[tuple[str, int, str], Purity] = {}
# id(code) -> purity facts of the functions that may run concurrently with their caller
pure_functions: dict[int, Purity] = {}
# id(code) -> facts of the functions of class bodies that change nothing but their instance
# (purity.method_facts): code running concurrently may call them, not run them on its own
_method_at: dict[tuple[str, int, str], Purity] = {}
instance_methods: dict[int, Purity] = {}
_METHOD = "method"  # the mark of such facts among those the compile cache keeps


LOOP_ARM_PREFIX = "__opp_loop_arm"
ARM_PREFIXES = ("__opp_arms", LOOP_ARM_PREFIX)


def is_arm_code(code: types.CodeType) -> bool:
    """Whether ``code`` is the function the compiler made of a deferred statement's arms; it
    carries the name of the function it came from, its qualified name still says what it is
    (see :func:`name_arms_as_their_function`)."""
    return code.co_qualname.rpartition(".")[2].startswith(ARM_PREFIXES)


def name_arms_as_their_function(code: types.CodeType, name: str | None = None) -> types.CodeType:
    """``code`` with each arm function in it named as the function (or module code) it came
    from: frames show that name, as in plain Python, where the arm's statements run in that
    function (logging's ``funcName``, the ``in F`` of a traceback)."""
    if name is not None and code.co_name.startswith(ARM_PREFIXES):
        code = code.replace(co_name=name)
    consts = list(code.co_consts)
    changed = False
    for i, const in enumerate(consts):
        if isinstance(const, types.CodeType):
            renamed = name_arms_as_their_function(const, code.co_name)
            if renamed is not const:
                consts[i] = renamed
                changed = True
    return code.replace(co_consts=tuple(consts)) if changed else code


def note_pure_function(filename: str, lineno: int, name: str, facts: Purity) -> None:
    _pure_at[(filename, lineno, name)] = facts


def note_instance_method(filename: str, lineno: int, name: str, facts: Purity) -> None:
    _method_at[(filename, lineno, name)] = facts


def register_code(code: types.CodeType) -> None:
    """Record ``code`` and every code object nested in it (functions, lambdas, classes)."""
    stack = [code]
    while stack:
        c = stack.pop()
        if id(c) in _compiled_ids:
            continue
        _compiled_ids.add(id(c))
        _keep_alive.append(c)
        key = (c.co_filename, c.co_firstlineno, c.co_name)
        facts = _pure_at.get(key)
        if facts is not None:
            pure_functions[id(c)] = facts
        facts = _method_at.get(key)
        if facts is not None:
            instance_methods[id(c)] = facts
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))


def pure_facts_of(code: types.CodeType) -> list[tuple[str, int, str, dict[str, object]]]:
    """The purity facts :func:`register_code` would attach to ``code`` and its nested code, as
    plain data (the compile cache stores them beside the code: compiler/cache.py)."""
    found = []
    stack = [code]
    while stack:
        c = stack.pop()
        key = (c.co_filename, c.co_firstlineno, c.co_name)
        facts = _pure_at.get(key)
        if facts is not None:
            found.append((*key, dict(vars(facts))))
        facts = _method_at.get(key)
        if facts is not None:
            found.append((*key, {_METHOD: True, **vars(facts)}))
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    return found


def note_pure_facts(found: list[tuple[str, int, str, dict[str, object]]]) -> None:
    """Note facts saved by :func:`pure_facts_of` again, as compiling the code would have."""
    from opportune.compiler.purity import Purity

    for filename, lineno, name, fields in found:
        if fields.get(_METHOD):
            fields = {k: v for k, v in fields.items() if k != _METHOD}
            _method_at[(filename, lineno, name)] = Purity(**fields)  # type: ignore[arg-type]
        else:
            _pure_at[(filename, lineno, name)] = Purity(**fields)  # type: ignore[arg-type]


def is_compiled_code(code: types.CodeType) -> bool:
    return id(code) in _compiled_ids


def is_compiled_function(fn: object) -> bool:
    return type(fn) is types.FunctionType and id(fn.__code__) in _compiled_ids
