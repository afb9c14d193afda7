"""Iterators of the program handed to library code: they give it real values.

A generator of the program (``ask(x) + "\\n" for x in names``), or a built-in iterator over
one (``zip``, ``enumerate``, ``map``, ``filter``, ``itertools.chain``), yields pending values:
its body runs compiled code, where an external's answer is a stand-in. Library code that
receives real values (opaque library code, code that changes what it is given) would get
those stand-ins one by one as it iterates, and C code that checks types rejects them
(``StringIO.writelines``: ``string argument expected, got 'Pending'``; p810). Such an
argument is replaced by an iterator that fills each item before the library sees it, so the
items arrive as plain Python yields them: one at a time, the program's code running between
the library's steps.

In general the items are not made ahead of the library: a library that stops early
(``islice``, a loop with ``break``) would have the program make calls plain Python does not
make, and the program's code that makes them runs between the library's steps. One call is
known to take every item before anything else: ``writelines`` of an open file object that
is not where the program prints (``_runs_ahead``). There the program's iterator runs to the
end first, in program order, as a LAZY consumer's does (``"".join(gen)``), so the calls
that make the items overlap; the items are then filled one by one as the library takes
them, so an answer that failed is met after the items before it were written, and the
output the program queued after that call is dropped as at any failure. A failure of the
iterator's own code is raised after the items before it, where the library met it.
"""

from __future__ import annotations

import io
import itertools
import sys
import types
from collections.abc import Iterator
from typing import Any

from opportune.compiler.registry import _compiled_ids
from opportune.runtime.snapshot import fill_in_place

# Iterators whose items come from code that may run the program's: generators and the
# built-in and itertools iterators that pass items through from another iterable.
PROGRAM_ITERATORS: frozenset[type] = frozenset({
    types.GeneratorType,
    type(map(len, ())), type(filter(None, ())), type(zip()), enumerate, reversed,
    *(t for t in vars(itertools).values() if isinstance(t, type)
      and hasattr(t, "__next__") and t.__module__ == "itertools"),
})

def gives_pending(value: Any) -> bool:
    """Whether ``value`` is an iterator that may yield the program's pending values."""
    return type(value) in PROGRAM_ITERATORS


# Library code that looks at the iterator object rather than taking its items: it must get
# the program's own (``inspect.getgeneratorstate(gen)``, ``copy.copy(a_map)``,
# ``weakref.ref(gen)``, ``pickle.dumps(a_zip)``).
_LOOKS_AT_THE_OBJECT = frozenset({
    "inspect", "copy", "copyreg", "pickle", "_pickle", "weakref", "_weakref", "gc", "sys",
})


def is_iterator_object(value: Any) -> bool:
    """Whether ``value`` is an iterator of a class of the program's whose ``__next__`` is
    compiled code (and so may return a pending value)."""
    method = getattr(type(value), "__next__", None)
    return type(method) is types.FunctionType and id(method.__code__) in _compiled_ids


def hand_over(f: Any, args: tuple[Any, ...], kwargs: dict[str, Any], objects: bool = False,
              ) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """``args`` and ``kwargs`` for library code ``f``, each iterator of the program's among
    them replaced by one whose items are filled (:func:`real_items`); ``objects``: also
    iterators of the program's classes (:func:`is_iterator_object`)."""
    module = getattr(f, "__module__", None)
    if module is None:
        module = getattr(type(getattr(f, "__self__", None)), "__module__", None)
    if module in _LOOKS_AT_THE_OBJECT:
        return args, kwargs
    if len(args) == 1 and not kwargs and _runs_ahead(f):
        return (_all_first(args[0]),), kwargs
    def wrapped(a: Any) -> Any:
        if type(a) in PROGRAM_ITERATORS or objects and is_iterator_object(a):
            return real_items(a)
        return a

    return tuple(map(wrapped, args)), {k: wrapped(v) for k, v in kwargs.items()}


def real_items(value: Any) -> Iterator[Any]:
    """An iterator over ``value``'s items, each filled before library code gets it."""
    for item in value:
        yield fill_in_place(item)


def _runs_ahead(f: Any) -> bool:
    """Whether ``f`` is ``writelines`` of an open file object that does not write where the
    program prints: it takes every item, and nothing it writes can come between the program's
    own output (a closed one raises before taking any)."""
    receiver = getattr(f, "__self__", None)
    if getattr(f, "__name__", None) != "writelines" or not isinstance(receiver, io.IOBase) \
            or receiver.closed:
        return False
    if any(receiver is s for s in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)):
        return False
    try:
        return receiver.fileno() not in (0, 1, 2)
    except (OSError, ValueError):  # io.UnsupportedOperation: an in-memory file
        return True


def _all_first(value: Any) -> Iterator[Any]:
    """The items of ``value``, all made now; each filled as the library takes it."""
    items: list[Any] = []
    failure: Exception | None = None
    try:
        for item in value:
            items.append(item)  # noqa: PERF402 - keeps the items made before a failure
    except Exception as e:  # noqa: BLE001 - raised where the library meets it, below
        failure = e
    return _filled_then_raise(items, failure)


def _filled_then_raise(items: list[Any], failure: Exception | None) -> Iterator[Any]:
    for item in items:
        yield fill_in_place(item)
    if failure is not None:
        raise failure
