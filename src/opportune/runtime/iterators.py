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

The items are not made ahead of the library (which would let their calls overlap): the
program's code that makes them may print or fail, and plain Python runs it between the
library's steps, and a library that stops early (``islice``, a ``for`` with ``break``) would
have made calls plain Python does not make. docs/design.md, Known limits.
"""

from __future__ import annotations

import itertools
import types
from collections.abc import Iterator
from typing import Any

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


def hand_over(f: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
              ) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """``args`` and ``kwargs`` for library code ``f``, each iterator of the program's among
    them replaced by one whose items are filled (:func:`real_items`)."""
    module = getattr(f, "__module__", None)
    if module is None:
        module = getattr(type(getattr(f, "__self__", None)), "__module__", None)
    if module in _LOOKS_AT_THE_OBJECT:
        return args, kwargs
    return (tuple(real_items(a) if type(a) in PROGRAM_ITERATORS else a for a in args),
            {k: real_items(v) if type(v) in PROGRAM_ITERATORS else v for k, v in kwargs.items()})


def real_items(value: Any) -> Iterator[Any]:
    """An iterator over ``value``'s items, each filled before library code gets it."""
    for item in value:
        yield fill_in_place(item)
