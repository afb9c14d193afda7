"""Calls through ``functools.lru_cache`` and ``functools.cache`` around the program's functions.

Programs cache their model and embedding calls in ``@functools.lru_cache`` functions. The
wrapper is library code (its class is ``functools._lru_cache_wrapper``), and library code runs in
program order: each call through it waited for every call before it, so a loop over a cached
function made its calls one at a time. Yet the wrapper itself only keeps a dictionary: what it
runs is the program's own compiled function (or an external), whose calls the runtime orders
like any other. So the real wrapper is called at once, with the compiled function underneath:

- its arguments make the cache key, so pending ones are waited for first (a pending value is
  not equal, as a key, to the text it will be: ``cached(answer)`` after ``cached("yes")``);
- on a miss it calls the function, which issues its calls and returns their pending result,
  and the wrapper stores that pending value: a later call with the same key returns that same
  object (identity kept) and makes no second call, and ``cache_info()``, ``cache_clear()``,
  eviction by ``maxsize``, ``typed`` and keyword arguments are the wrapper's own, in program
  order, since every call through it is made on the program's thread where plain Python made
  it;
- a wrapper straight over an external calls the external's entry, which, reached from C code,
  would wait for its result: the call through the wrapper marks that entry
  (``_local.cache_entry``), and it issues the call without waiting (``externals._wrap``).

What plain Python does differently is one thing: a call that raises is not cached, and a later
call with the same key calls again. Here the failure is known only later, after the wrapper has
stored the pending value, and the wrapper (C code) has no way to forget one entry. Outside any
``try`` or ``with`` body that could catch it, a failure ends the program, and nobody sees the
cache again. Inside one (``Runtime._guard_marks``: a retry after ``except``, a handler that
reads ``cache_info()``), the call runs as before, in program order, and with no runtime driving
the thread while the wrapper runs (``context.set_active_runtime(None)``): the function's calls
are made in place, as plain Python makes them, so a failing one raises inside the wrapper,
which then stores nothing. The program's thread takes that path too while a function runs
concurrently (``spawn._running``): such code may reach the wrapper, and calls through it must
reach it in program order, which only waiting gives. Code running concurrently calls the wrapper as library
code, as before (``dispatch.call`` does not come here outside the program's own scope), and is
not handed a wrapper in the first place (``spawn._safe``): a deferred arm or a function that
calls one directly runs on the program's thread, where its calls overlap as above.

``functools.cached_property`` has the same question without a call: reading the attribute runs
the property's own ``__get__``, which calls the method and stores what it returns in the
instance, a pending value (the reads overlap already), and a failed one too. The compiler gives
such a method ``@__opportune_cached_property__(cached_property)`` (``transform.
_settle_cached_properties``); :func:`cached_property` hands the real property a function that,
inside a ``try`` or ``with`` body, first waits for the value it returns (and every call before it
in that body), as any change to an object there does (``Runtime.settle_for_effect``): a failing
call raises inside ``__get__``, which then stores nothing, and a retry calls the method again.
"""

from __future__ import annotations

import functools
import types
from typing import Any

from opportune.compiler.registry import _compiled_ids
from opportune.runtime import spawn
from opportune.runtime.context import _local, set_active_runtime
from opportune.runtime.externals import ENTRY_CODES, SPEC_ATTRIBUTE
from opportune.runtime.values import Pending

LRU_WRAPPER: type = functools._lru_cache_wrapper  # type: ignore[attr-defined]

_FunctionType = types.FunctionType


def caches_program_code(wrapper: Any) -> bool:
    """Whether the lru_cache ``wrapper`` wraps a compiled function of the program or an
    external: what it runs on a miss is then ordered by the runtime itself."""
    inner = getattr(wrapper, "__wrapped__", None)
    if type(inner) is not _FunctionType:
        return False
    return id(inner.__code__) in _compiled_ids or (
        SPEC_ATTRIBUTE in inner.__dict__ and inner.__code__ in ENTRY_CODES)


def call_through(rt: Any, f: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Call ``f`` (an lru_cache wrapper that :func:`caches_program_code`, or such a wrapper
    bound to an instance) as described in the module docstring."""
    if any(type(a) is Pending for a in args):
        args = tuple(a._force() if type(a) is Pending else a for a in args)
    if kwargs and any(type(v) is Pending for v in kwargs.values()):
        kwargs = {k: v._force() if type(v) is Pending else v for k, v in kwargs.items()}
    if not rt._guard_marks and not spawn._running:
        wrapper: Any = f.__func__ if type(f) is types.MethodType else f
        inner = wrapper.__wrapped__
        if inner.__code__ not in ENTRY_CODES:
            return f(*args, **kwargs)
        # an external under the wrapper: its entry, called by the wrapper on a miss, issues
        # the call without waiting for it (externals._wrap, sync_entry)
        _local.cache_entry = inner
        try:
            return f(*args, **kwargs)
        finally:
            _local.cache_entry = None
    name = getattr(f, "__qualname__", None) or "a cached function"
    rt.in_program_order(
        f"{name} is cached by functools.lru_cache inside a try or with body or beside code "
        "running concurrently: a call that fails must not be cached, so it runs in program "
        "order")
    previous = set_active_runtime(None)
    try:
        return f(*args, **kwargs)
    finally:
        set_active_runtime(previous)


def cached_property(decorator: Any) -> Any:
    """``decorator`` for a method of a class of the program; ``functools.cached_property``
    itself becomes one whose property calls the method through :func:`_settled`."""
    if decorator is not functools.cached_property:
        return decorator

    def settled_property(func: Any) -> Any:
        return functools.cached_property(_settled(func))

    return settled_property


def _settled(func: Any) -> Any:
    def settled(instance: Any) -> Any:
        value = func(instance)
        rt = _local.__dict__.get("runtime")
        if rt is not None and rt._guard_marks:
            rt.settle_for_effect((value,))
        return value

    functools.update_wrapper(settled, func)
    return settled
