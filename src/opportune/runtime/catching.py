"""Failures a ``try`` turned into a branch holds for its handler (compiler/tries.py).

A ``try`` whose body is one call becomes ``if <outcome> is not None: <handler> else: <rest>``.
The outcome's calls may still be running when the program goes on, and one of them may fail
later. Recorded as the program's failure, it would be met (raised) by the next wait, as if
nothing caught it. So while the outcome is undecided, failures of values numbered inside the
body's stretch of program order are held here instead (``Runtime._settle``); once every value
there has finished, the earliest one decides, as plain Python stops at the first failing
call: if the handler's classes match it the outcome is that exception, and the failure is
handled; if not, it becomes the program's failure as usual, and the outcome fails with it.
"""

from __future__ import annotations

import types
from typing import Any

# What a class defines that a handler does not reach by reading its exception: construction,
# pickling and the names every class has.
_INERT = frozenset({
    "__init__", "__new__", "__init_subclass__", "__class_getitem__", "__reduce__",
    "__reduce_ex__", "__getstate__", "__setstate__", "__module__", "__qualname__", "__doc__",
    "__dict__", "__weakref__", "__slots__", "__annotations__", "__firstlineno__",
    "__static_attributes__", "__orig_bases__", "__parameters__",
})


class Catch:
    """The stretch ``[lo, hi)`` of a body whose failures are held for ``classes``."""

    __slots__ = ("classes", "failures", "hi", "lo", "outcome")

    def __init__(self, lo: int, hi: int, classes: tuple[type[BaseException], ...],
                 outcome: Any) -> None:
        self.lo = lo
        self.hi = hi
        self.classes = classes
        self.outcome = outcome  # the Pending the branch tests
        self.failures: dict[int, BaseException] = {}


def classes_of(kinds: Any) -> tuple[type[BaseException], ...] | None:
    """What an ``except`` clause names: a class, or a tuple of classes (not nested); None if
    it names anything else: then the interpreter raises ``TypeError`` at the clause, which
    only the clause itself may do, once the body raised."""
    items = kinds if type(kinds) is tuple else (kinds,)
    for k in items:
        if not (isinstance(k, type) and issubclass(k, BaseException)):
            return None
    return items


def runs_programs_code(classes: tuple[type[BaseException], ...]) -> bool:
    """Whether an exception the clause catches may run code of the program's when a handler
    reads it (``print(e)``, ``f"{e}"``, ``e.code`` through a property): some class among
    ``classes`` and their subclasses, defined in the program, has its own ``__str__``,
    ``__repr__``, ``__format__``, another special method, a property or other descriptor.
    A handler deferred to a later moment would run that code late: after output and changes
    the program made past the ``try`` (what it prints, what it raises, the state it reads).
    Reading an exception's arguments, or the attributes its ``__init__`` stored, runs none."""
    from opportune.compiler.functions import is_user_file, is_user_module

    seen: set[type] = set()
    stack = list(classes)
    while stack:
        c = stack.pop()
        if c in seen:
            continue
        seen.add(c)
        stack.extend(type.__subclasses__(c))
        if not is_user_module(c.__module__):
            continue
        for name, attr in vars(c).items():
            if name not in _INERT and _runs_code(name, attr, is_user_file):
                return True
    return False


def _runs_code(name: str, attr: Any, is_user_file: Any) -> bool:
    """Whether reading or rendering an exception may run ``attr``, found in its class as
    ``name``, as code of the program's: a special method or property written in the program
    (those a dataclass generates are not), or any other descriptor."""
    if isinstance(attr, property):
        return any(f is not None and _written_in_program(f, is_user_file)
                   for f in (attr.fget, attr.fset, attr.fdel))
    if isinstance(attr, types.FunctionType):
        return name.startswith("__") and name.endswith("__") \
            and _written_in_program(attr, is_user_file)
    if isinstance(attr, (staticmethod, classmethod)):
        return False
    return hasattr(type(attr), "__get__")


def _written_in_program(fn: Any, is_user_file: Any) -> bool:
    code = getattr(fn, "__code__", None)
    return code is None or is_user_file(code.co_filename)


def matches(error: BaseException, classes: tuple[type[BaseException], ...]) -> bool:
    """Whether an ``except`` clause of ``classes`` catches ``error``: by the class's own
    bases, as the interpreter tests it (no ``__instancecheck__`` or ``__subclasscheck__``)."""
    mro = type(error).__mro__
    return any(c in mro for c in classes)


def holder(catches: list[Catch], seq: int) -> Catch | None:
    """The open stretch ``seq`` was numbered in, if any (caller holds the runtime's lock)."""
    for c in catches:
        if c.lo <= seq < c.hi:
            return c
    return None
