"""What a ``print`` that waits for its turn writes: its arguments as plain Python showed them.

Plain Python renders a print's arguments to text at the call. A print queued behind calls
still running (``Runtime.print``) writes later, so what it holds must not change meanwhile:

* arguments without pending values are rendered to text at the call (:func:`as_text`);
* the others are copied (:func:`staged`): their lists, tuples and dicts, with each object of
  the program's in them rendered at the call; the pending values themselves are kept, as
  they have no value yet;
* once such a pending value has one (``x = search(q)``, ``print(x, slow(1))``), the program
  may change that very object in place (``x.append(...)``) before the print's turn comes.
  The print is then a concurrent reader of the object (runtime/readers.py): the change first
  asks the print to render what it holds now (:func:`rendered`), which is what plain Python
  showed, as nothing after the print in program order has changed it yet. The program does
  not wait for the print, so the overlap stays.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable
from typing import Any

from opportune.runtime.snapshot import changeable_object, snapshot
from opportune.runtime.values import ATOM_TYPES, DONE, Pending


class Text(str):
    """Text already rendered at the moment of the ``print`` call."""

    __slots__ = ()

    def __str__(self) -> str:
        return str.__str__(self)


class Repr(str):
    """The text of an object inside a printed container, rendered when the ``print`` was
    called (see :func:`staged`) or before the program changed it (see :func:`rendered`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str.__str__(self)


class KeyRepr:
    """A dict key that is (or holds) an object of the program's, rendered at the ``print``
    call (see :func:`staged`). Equal only to itself, as the distinct keys it stands for were:
    a :class:`Repr` would merge ``{obj: 1, "text of obj": 2}`` into one key."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _changeable_key(key: Any) -> bool:
    """Whether the dict key ``key`` shows an object the program can change (through tuples
    and frozensets, the hashable containers) and no pending value, which has no text yet."""
    found = False
    parts = [key]
    while parts:
        part = parts.pop()
        t = type(part)
        if t is Pending:
            return False
        if t is tuple or t is frozenset:
            parts.extend(part)
        elif t not in ATOM_TYPES and _text_may_change(part):
            found = True
    return found


def as_text(value: Any) -> Any:
    """An argument without pending values, as the print writes it."""
    if type(value) is str:
        return value
    return Text(str(value))


def staged(value: Any, memo: dict[int, Any]) -> Any:
    """A printed argument that holds pending values, as the print writes it later: its lists,
    tuples and dicts copied (as snapshot copies them), and each object in them whose text the
    program can change (``print({"doc": doc, "score": pending})`` then
    ``doc.text = ...``) rendered now, as plain Python rendered it at the print (a dict's keys
    too, see :class:`KeyRepr`). Sets keep
    their objects (text in place of an object could change their order)."""
    t = type(value)
    if t in ATOM_TYPES or t is Pending:
        return value
    if t is set or t is frozenset:
        return snapshot(value)
    if t is list or t is tuple or t is dict:
        return _copied(value, memo, staged, _shown_key)
    if _text_may_change(value):
        return Repr(repr(value))
    return value


# Objects whose text cannot change: kept as they are by :func:`staged`.
_FIXED_TEXT = (type, enum.Enum, types.FunctionType, types.BuiltinFunctionType, types.ModuleType,
               range, slice)


def _text_may_change(value: Any) -> bool:
    """Whether the text of ``value``, an object in a printed container, may change before the
    print's turn: an object of the program's or a library's data container, but also an
    immutable object that holds changeable ones (a frozen dataclass with a list field, a
    ``SimpleNamespace``, a ``mappingproxy`` of a dict). Only what is known to keep its text
    is left to be rendered later."""
    return changeable_object(value) or not issubclass(type(value), _FIXED_TEXT)


def rendered(value: Any) -> Any:
    """A queued print's argument as the print would write it now, made before the program
    changes an object in it: the text itself when every pending value in it has its value
    (``str``, as ``print`` renders it); otherwise a copy in which each part that holds no
    unfinished pending value is rendered (``repr``, as a container renders its items) and the
    unfinished ones are kept (a failed one makes the queue drop the print, as before). Where
    rendering raises, the argument is kept as it is: the print then raises when its turn
    comes, as it did before."""
    try:
        if _finished(value, set()):
            return value if type(value) is str else Text(str(resolved(value, {})))
        return _partly(value, {})
    except Exception:  # noqa: BLE001 - raised again when the print is written
        return value


def _finished(value: Any, seen: set[int]) -> bool:
    """Whether every pending value inside ``value`` (through plain containers and finished
    pending values) has its value."""
    t = type(value)
    if t in ATOM_TYPES:
        return True
    if id(value) in seen:
        return True
    seen.add(id(value))
    if t is Pending:
        return value._state == DONE and _finished(value._value, seen)
    if t is list or t is tuple or t is set or t is frozenset:
        return all(_finished(v, seen) for v in value)
    if t is dict:
        return all(_finished(v, seen) for v in value.values())
    return True


def resolved(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """``value`` with every (finished) pending value in it replaced by its value: lists,
    tuples and dicts copied where one is inside, the rest as it is (read, not forced: the
    program's decisions do not depend on it, see Runtime.note_forced)."""
    t = type(value)
    if t is Pending:
        return resolved(value._value, memo)
    if t is not list and t is not tuple and t is not dict:
        return value
    return _copied(value, {} if memo is None else memo, resolved)


def _shown_key(k: Any) -> Any:
    """A dict key as a queued print keeps it: the print shows keys too (``{doc: score(doc)}``
    then ``doc.title = ...``), so one whose text could change is rendered now."""
    return KeyRepr(repr(k)) if _changeable_key(k) else k


def _copied(value: list[Any] | tuple[Any, ...] | dict[Any, Any], memo: dict[int, Any],
            item: Callable[[Any, dict[int, Any]], Any],
            key_of: Callable[[Any], Any] | None = None) -> Any:
    """A copy of the list, tuple or dict ``value`` with ``item`` applied to each element (to
    each value of a dict, and ``key_of`` to each key), made once per object (``memo``), so
    shared and cyclic parts stay shared and cyclic."""
    key = id(value)
    if key in memo:
        return memo[key]
    if type(value) is dict:
        out: Any = {}
        memo[key] = out
        for k, v in value.items():
            out[k if key_of is None else key_of(k)] = item(v, memo)
        return out
    if type(value) is list:
        out = []
        memo[key] = out
        out.extend(item(v, memo) for v in value)
        return out
    out = tuple(item(v, memo) for v in value)
    memo[key] = out
    return out


def _partly(value: Any, memo: dict[int, Any]) -> Any:
    """``value``, which holds an unfinished pending value: lists, tuples and dicts on the way
    to one copied, finished parts rendered (:class:`Repr`), unfinished pending values kept."""
    t = type(value)
    if t in ATOM_TYPES:
        return value
    if t is Pending:
        if value._state != DONE:
            return value
        return _partly(value._value, memo)
    if t is not list and t is not tuple and t is not dict:
        return Repr(repr(resolved(value, {})))  # a set or an object: holds no pending value
    key = id(value)
    if key in memo:
        return memo[key]
    if _finished(value, set()):
        out: Any = Repr(repr(resolved(value, {})))
        memo[key] = out
        return out
    if t is dict:
        out = {}
        memo[key] = out
        for k, v in value.items():
            out[k] = _partly(v, memo)
        return out
    if t is list:
        out = []
        memo[key] = out
        out.extend(_partly(v, memo) for v in value)
        return out
    out = tuple(_partly(v, memo) for v in value)
    memo[key] = out
    return out
