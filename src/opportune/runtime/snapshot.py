"""Snapshots of plain data, and finding and filling the pending values inside them.

An external call must see its arguments as they were at the moment of the call, even if the
program mutates them right after while the call is still running. Plain data (lists, dicts,
sets, tuples) is cheap to copy, so it is copied, keeping aliasing inside one argument list.
Other objects (clients, models, files) cannot be copied and are passed as they are.
"""

from __future__ import annotations

import enum
from typing import Any

from opportune.runtime.values import ATOM_TYPES, DONE, FAILED, Pending

_PLAIN_CONTAINERS = (list, dict, set, tuple, frozenset)
PLAIN_CONTAINERS = _PLAIN_CONTAINERS


def is_changeable_data(value: Any) -> bool:
    """A library's data container (``Counter``, ``deque``, an array) that the program may still
    change, as opposed to a service object such as an API client: calls and concurrent
    functions must see it as it is now, so it is copied or refused."""
    import collections

    cls = type(value)
    if cls.__module__ == "builtins":
        return False
    # by type: isinstance would read the object's ``__class__`` through a ``__getattribute__``
    # the program may have written, which runs compiled code (and calls back in here)
    return issubclass(cls, (dict, list, set, bytearray, collections.deque)) \
        or hasattr(cls, "__setitem__")


def changeable_object(value: Any) -> bool:
    """Whether ``value``, an operand of an operation on a pending value, is an object the
    program may change in place before the operation could run (an instance of one of its
    classes, a library data container): not a plain container (derive_op copies those), a
    class, a function, an enum member or a frozen dataclass instance."""
    from opportune.compiler.functions import is_user_module

    cls = type(value)
    if cls.__module__ == "builtins" or issubclass(cls, (type, enum.Enum)):
        return False
    if is_changeable_data(value):
        return True
    if not is_user_module(cls.__module__) or callable(value) and not cls.__dictoffset__:
        return False
    params = getattr(cls, "__dataclass_params__", None)
    return not (params is not None and params.frozen)


def snapshot(
    value: Any, memo: dict[int, Any] | None = None, copy_object: Any = None
) -> Any:
    """Copy plain containers (deeply), keep pending values and other objects by reference.

    ``copy_object``, if given, is asked to copy any other object (it returns the object itself
    when it cannot be copied).
    """
    t = type(value)
    if t in ATOM_TYPES or t is Pending:
        return value
    if t not in _PLAIN_CONTAINERS:
        return value if copy_object is None else copy_object(value)
    if memo is None:
        memo = {}
    key = id(value)
    if key in memo:
        return memo[key]
    if t is list:
        out: Any = []
        memo[key] = out
        out.extend(snapshot(v, memo, copy_object) for v in value)
        return out
    if t is dict:
        out = {}
        memo[key] = out
        for k, v in value.items():
            out[k] = snapshot(v, memo, copy_object)
        return out
    if t is tuple:
        out = tuple(snapshot(v, memo, copy_object) for v in value)
    elif t is set:
        out = {snapshot(v, memo, copy_object) for v in value}
    else:
        out = frozenset(snapshot(v, memo, copy_object) for v in value)
    memo[key] = out
    return out


def snapshot_pending(value: Any) -> Any:
    """Copy only the containers that hold pending values, so that a lazily applied function
    sees them as they are now; everything else keeps its identity."""
    if type(value) is Pending or type(value) not in _PLAIN_CONTAINERS:
        return value
    if not contains_pending(value):
        return value
    t = type(value)
    if t is list:
        return [snapshot_pending(v) for v in value]
    if t is dict:
        return {k: snapshot_pending(v) for k, v in value.items()}
    return t(snapshot_pending(v) for v in value)


def collect(value: Any, into: list[Pending], seen: set[int] | None = None) -> None:
    """Append every pending value (finished or not) reachable through plain containers."""
    t = type(value)
    if t is Pending:
        into.append(value)
        return
    if t not in _PLAIN_CONTAINERS:
        return
    if seen is None:
        seen = set()
    if id(value) in seen:
        return
    seen.add(id(value))
    items = value.values() if t is dict else value
    for v in items:
        tv = type(v)
        if tv is Pending or tv in _PLAIN_CONTAINERS:
            collect(v, into, seen)


def collect_deep(value: Any, into: list[Pending], seen: set[int] | None = None) -> None:
    """Like :func:`collect`, and also through the value of every finished pending value: a
    branch's selection or a concurrent function's result is a list the program built, which
    may itself hold pending values (``out = out + [k]``)."""
    if seen is None:
        seen = set()
    t = type(value)
    if t is Pending:
        if id(value) in seen:
            return
        seen.add(id(value))
        into.append(value)
        if value._state == DONE and type(value._value) in _PLAIN_CONTAINERS:
            collect_deep(value._value, into, seen)
        return
    if t not in _PLAIN_CONTAINERS or id(value) in seen:
        return
    seen.add(id(value))
    for v in (value.values() if t is dict else value):
        tv = type(v)
        if tv is Pending or tv in _PLAIN_CONTAINERS:
            collect_deep(v, into, seen)


def nested_failure(inputs: list[Pending]) -> Pending | None:
    """The failed value with the earliest origin among ``inputs`` and the pending values their
    values hold, or None."""
    found: list[Pending] = []
    seen: set[int] = set()
    for p in inputs:
        collect_deep(p, found, seen)
    failed = [q for q in found if q._state == FAILED]
    return min(failed, key=lambda q: q._origin) if failed else None


def contains_pending(value: Any) -> bool:
    found: list[Pending] = []
    collect(value, found)
    return bool(found)


def fill(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """A copy of ``value`` with every (resolved) pending value replaced by what it holds.

    Containers without pending values are returned as they are, so identity is kept wherever
    nothing had to change.
    """
    t = type(value)
    if t is Pending:
        # The runtime's own work (a derived value's operation, a call's arguments), not the
        # program taking the object: a result of a read does not escape here (runtime/fences.py).
        # A selection's or a spawned function's value is a list the program built, and may
        # hold pending values of its own: an external must never see one.
        inner = value._force(False)
        return fill(inner, memo) if type(inner) in _PLAIN_CONTAINERS else inner
    if t not in _PLAIN_CONTAINERS:
        return value
    if memo is None:
        memo = {}
    key = id(value)
    if key in memo:
        return memo[key]
    memo[key] = value
    if t is list:
        items = [fill(v, memo) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        value_out: Any = items
    elif t is dict:
        # the keys (kept as they are) are hashed again only when a value changed: a key's
        # ``__hash__`` may be the program's (p602)
        values = [fill(v, memo) for v in value.values()]
        if all(a is b for a, b in zip(values, value.values())):
            return value
        value_out = dict(zip(value, values))
    elif t is tuple:
        tup = tuple(fill(v, memo) for v in value)
        if all(a is b for a, b in zip(tup, value)):
            return value
        value_out = tup
    else:
        # a set or frozenset: rebuilt only when an item changed, since building one hashes
        # every item again, and an item's ``__hash__`` may be the program's (it printed twice
        # for one ``answer in {Noisy(...)}``: p602)
        items2 = [fill(v, memo) for v in value]
        if all(a is b for a, b in zip(items2, value)):
            return value
        value_out = t(items2)
    memo[key] = value_out
    return value_out


def fill_in_place(value: Any, seen: set[int] | None = None) -> Any:
    """Replace pending values inside the program's own containers, keeping their identity.

    Used before opaque library code runs: it must see real values, and if it mutates a list it
    must mutate the program's list, as in plain Python. Tuples and frozensets cannot change, so a
    filled copy replaces them in their parent.
    """
    t = type(value)
    if t is Pending:
        return fill_in_place(value._force(), seen)
    if t not in _PLAIN_CONTAINERS:
        return value
    if seen is None:
        seen = set()
    if id(value) in seen:
        return value
    seen.add(id(value))
    if t is list or t is dict:
        # the types of the items first, at C speed: most lists and dicts (a namespace's
        # ``__builtins__``, 157 functions and classes) hold nothing to fill
        kinds = set(map(type, value if t is list else value.values()))
        if Pending not in kinds and kinds.isdisjoint(_PLAIN_CONTAINERS):
            return value
    if t is list:
        for i, v in enumerate(value):
            tv = type(v)
            if tv is Pending or tv in _PLAIN_CONTAINERS:
                nv = fill_in_place(v, seen)
                if nv is not v:
                    value[i] = nv
        return value
    if t is dict:
        for k, v in list(value.items()):
            tv = type(v)
            if tv is Pending or tv in _PLAIN_CONTAINERS:
                nv = fill_in_place(v, seen)
                if nv is not v:
                    value[k] = nv
        return value
    if t is set:
        if any(type(v) is Pending for v in value):
            items = [fill_in_place(v, seen) for v in value]
            value.clear()
            value.update(items)
        return value
    items = [fill_in_place(v, seen) for v in value]
    if all(a is b for a, b in zip(items, value)):
        return value
    return t(items)


def fill_attributes(value: Any, inside: bool = True) -> None:
    """Replace, in place, the pending values held in the attributes of the objects ``value``
    is or holds at its top level (an object, or the items of a list, tuple, set or the values
    of a dict), and inside the plain containers those attributes hold.

    Library code that reads an object's fields by their type (a pydantic model's
    ``model_dump_json()``, whose fields the program set to pending answers) must see real
    values, as it does under plain Python (p427). Only one level of objects is looked into,
    so a call that is handed a node of a large graph does not walk the graph; ``inside``
    False leaves out the objects inside containers."""
    t = type(value)
    if t in ATOM_TYPES or t is Pending:
        return
    if t in _PLAIN_CONTAINERS:
        if not inside:
            return
        for item in (value.values() if t is dict else value):
            if type(item) not in ATOM_TYPES and type(item) not in _PLAIN_CONTAINERS \
                    and type(item) is not Pending:
                _fill_own_attributes(item)
        return
    _fill_own_attributes(value)


def _fill_own_attributes(obj: Any) -> None:
    # by type, not isinstance: that reads ``obj.__class__`` through the program's own
    # ``__getattribute__``, whose ``object.__getattribute__(self, name)`` lands back here
    if issubclass(type(obj), type) or type(obj).__module__ == "builtins":
        return  # classes, modules, functions: their namespaces are not the program's data
    try:
        attributes = object.__getattribute__(obj, "__dict__")
    except (AttributeError, TypeError):
        return
    if type(attributes) is not dict:
        return
    for key, v in list(attributes.items()):
        tv = type(v)
        if tv is Pending or tv in _PLAIN_CONTAINERS:
            nv = fill_in_place(v)
            if nv is not v:
                attributes[key] = nv
