"""Tentative values: a speculative call's arguments, computed from unconfirmed read results.

A speculative read (docs/design.md, *Speculative reads*) runs before the branch arms it comes
after have decided, and its result is held back until they have: nothing the program computes
from it can start earlier. An external declared ``@external(speculative=True)`` (a pure call,
typically an LLM question) lets the runtime go one step further for that call alone: its
arguments are computed again, off to the side, from the read's first result (its *tentative*
result), and the call is made on them at once. The program never sees any of it: the derived
values it holds stay unfinished as before, and the speculative call's own pending value gets
the answer only once the read is confirmed (``Runtime._use_attempt``).

This module holds what that needs and nothing of the scheduler's: how a derived value is
computed again (:class:`Recipe`, recorded by ``Runtime._derive`` only for values built from a
speculative read), a read's first result (:class:`TentativeRead`), the walk that fills a call's
arguments with tentative values (:func:`fill_tentatively`, the counterpart of
``snapshot.fill``), and the comparison that keeps an answer after a read was made again
(:func:`same_arguments`).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, NamedTuple

from opportune.runtime.snapshot import PLAIN_CONTAINERS, collect_deep
from opportune.runtime.values import ATOM_TYPES, DONE, PENDING, Pending


class Recipe(NamedTuple):
    """How a derived value is computed: ``post(fn(*fill(args), **fill(kwargs)))``, the very
    operation its ``compute`` applies, on the operands it captured (copies included)."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    post: Callable[[Any], Any] | None = None


class TentativeRead:
    """The first result of a speculative read, as speculative calls may use it.

    ``known``: the first attempt has ended (its outcome in ``failed`` and ``value``).
    ``redone``: an arm wrote what it reads, so that result is already known to be stale.
    ``waiters`` run (on the loop thread) once ``known`` is set."""

    __slots__ = ("failed", "known", "redone", "value", "waiters")

    def __init__(self) -> None:
        self.known = False
        self.failed = False
        self.value: Any = None
        self.redone = False
        self.waiters: list[Callable[[], None]] = []


class NotTentative(Exception):
    """A value the arguments need has no tentative value (it failed, it is unknown yet, or
    it is not built from a speculative read): the call is not made speculatively."""


def leaves(values: list[Pending], recipes: dict[int, Recipe],
           reads: dict[int, TentativeRead]) -> tuple[list[Pending], list[Pending]]:
    """The unfinished values the tentative arguments need, through the recipes of derived
    values: the speculative reads among them, and the other values, which must finish (they
    do not depend on any undecided arm: ``Runtime._speculable`` never runs a read past
    anything else)."""
    found_reads: list[Pending] = []
    others: list[Pending] = []
    seen: set[int] = set()
    stack = list(values)
    while stack:
        p = stack.pop()
        if p._seq in seen or p._state != PENDING:
            continue
        seen.add(p._seq)
        if p._seq in reads:
            found_reads.append(p)
            continue
        recipe = recipes.get(p._seq)
        if recipe is None:
            others.append(p)
            continue
        inner: list[Pending] = []
        collect_deep((recipe.args, recipe.kwargs), inner)
        stack.extend(inner)
    return found_reads, others


def fill_tentatively(value: Any, recipes: dict[int, Recipe], reads: dict[int, TentativeRead],
                     computed: dict[int, Any], memo: dict[int, Any] | None = None) -> Any:
    """``snapshot.fill`` with tentative values: a finished pending value gives its value, a
    speculative read its first result, a derived value its recipe applied to tentative
    values (once each: ``computed``). Raises :class:`NotTentative` where there is none."""
    t = type(value)
    if t is Pending:
        inner = _tentative_value(value, recipes, reads, computed)
        if type(inner) in PLAIN_CONTAINERS:
            return fill_tentatively(inner, recipes, reads, computed, memo)
        return inner
    if t not in PLAIN_CONTAINERS:
        return value
    if memo is None:
        memo = {}
    key = id(value)
    if key in memo:
        return memo[key]
    memo[key] = value
    items = [fill_tentatively(v, recipes, reads, computed, memo)
             for v in (value.values() if t is dict else value)]
    originals = value.values() if t is dict else value
    if all(a is b for a, b in zip(items, originals)):
        return value
    out: Any = dict(zip(value, items)) if t is dict else t(items)
    memo[key] = out
    return out


def _tentative_value(p: Pending, recipes: dict[int, Recipe], reads: dict[int, TentativeRead],
                     computed: dict[int, Any]) -> Any:
    if p._state == DONE:
        return p._value  # finished: real, never tentative (a derived value finishes only
        # once the read it is built from is confirmed)
    if p._state != PENDING:
        raise NotTentative(f"{p._label} failed")
    if p._seq in computed:
        return computed[p._seq]
    read = reads.get(p._seq)
    if read is not None:
        if not read.known or read.failed or read.redone:
            raise NotTentative(f"{p._label} has no usable first result")
        return read.value
    recipe = recipes.get(p._seq)
    if recipe is None:
        raise NotTentative(f"{p._label} is not built from a speculative read")
    try:
        value = recipe.fn(*fill_tentatively(recipe.args, recipes, reads, computed),
                          **fill_tentatively(recipe.kwargs, recipes, reads, computed))
        if recipe.post is not None:
            value = recipe.post(value)
    except NotTentative:
        raise
    except Exception as exc:  # noqa: BLE001 - computed for real, it raises there, in order
        raise NotTentative(f"{p._label} raised {type(exc).__name__} on the tentative value") \
            from None
    if type(value) is Pending:
        value = _tentative_value(value, recipes, reads, computed)
    computed[p._seq] = value
    return value


def same_arguments(tentative: tuple[tuple[Any, ...], dict[str, Any]],
                   final: tuple[tuple[Any, ...], dict[str, Any]]) -> bool:
    """Whether a speculative call's final ``(args, kwargs)`` are the ones it was made on,
    decided only where nothing in them can have changed in place since: text, numbers and
    tuples of them compared with ``==`` (no code of the program's runs), classes and functions
    by identity. Anything else (a list, a dict, an object of the program's or a library's)
    counts as different: a read made again may return the very objects of its first result,
    changed in place by the arm that wrote (a record an update changed), so equal results
    would not show that the call was made on what they hold now."""
    (args, kwargs), (final_args, final_kwargs) = tentative, final
    return _same(args, final_args) and kwargs.keys() == final_kwargs.keys() and all(
        _same(v, final_kwargs[k]) for k, v in kwargs.items())


def _same(tentative: Any, final: Any) -> bool:
    tt = type(tentative)
    if tt is not type(final):
        return False
    if tt in ATOM_TYPES:
        try:
            return bool(tentative == final)
        except Exception:  # noqa: BLE001 - a value that cannot be compared is not the same
            return False
    if tt is tuple:
        return len(tentative) == len(final) and all(
            _same(a, b) for a, b in zip(tentative, final))
    if isinstance(tentative, type) or tt in _CALLABLES:
        return tentative is final
    return False


_CALLABLES = (types.FunctionType, types.BuiltinFunctionType)
