"""Pydantic models that only validate: building one from pending answers need not wait for them.

A structured-output pipeline parses each answer into a model (``Verdict.model_validate_json(
ask(q))``) or builds a record from several (``Record(question=q, answer=ask(q))``). Pydantic is
library code that inspects what it is given, so such a call used to fill its arguments and run
at once, making the loop wait for each answer before it issued the next call. When the model's
validation runs nothing but pydantic-core on plain data, it is a pure function of its arguments:
it may be applied later, once the answers exist, as ``json.loads`` is (``dispatch.classify``,
LAZY). This module decides when that holds.

A model qualifies when validating it cannot run code of the program's or give back an object it
was handed:

- no validators of any kind, no ``model_post_init`` and no private attributes (program code
  would run on the loop thread, out of program order);
- its own ``__init__``, metaclass, schema hook and validating class methods are pydantic's;
- every field's type is text, a number, ``bool``, ``bytes``, ``None``, a ``Literal`` of those,
  a ``list``/``tuple``/``set``/``frozenset``/``dict`` or union of such types, or another model
  that qualifies; its constraints come from ``annotated_types`` (``Field(ge=0)``) only; its
  default factory, if any, is a built-in container type. ``Any`` and ``object`` fields keep
  the very object they are given, which would be the copy a lazy call works on, so they do not
  qualify, and neither does ``extra="allow"`` for the same reason (pydantic copies every
  container it validates for the types above: ``Record(tags=tags).tags is not tags``).

Everything else stays as it was (LOCAL: filled and called at once).
"""

from __future__ import annotations

import sys
import types
import typing
import weakref
from typing import Any

# The class methods that validate into a new instance.
VALIDATING_METHODS = frozenset({"model_validate", "model_validate_json", "model_validate_strings"})

_ATOMS = (str, int, float, bool, bytes, type(None))
_CONTAINERS = (list, tuple, set, frozenset, dict)
_FACTORIES = (list, dict, set, tuple, frozenset)
_UNIONS = (typing.Union, types.UnionType)

# id(class) -> (weak reference, its validator when judged, verdict)
_verdicts: dict[int, tuple[Any, Any, bool]] = {}


def _base_model() -> Any:
    """pydantic's ``BaseModel`` once the program has imported pydantic (None before)."""
    main = sys.modules.get("pydantic.main")
    return None if main is None else getattr(main, "BaseModel", None)


def validates_only(cls: Any) -> bool:
    """Whether constructing ``cls`` or validating into it is a pure function of the arguments
    (see the module docstring)."""
    base = _base_model()
    if base is None or not isinstance(cls, type) or not issubclass(cls, base) or cls is base:
        return False
    validator = cls.__dict__.get("__pydantic_validator__")
    cached = _verdicts.get(id(cls))
    if cached is not None and cached[0]() is cls and cached[1] is validator:
        return cached[2]
    verdict = _judge(cls, base, set())
    try:
        _verdicts[id(cls)] = (weakref.ref(cls), validator, verdict)
    except TypeError:
        pass
    return verdict


def _judge(cls: type, base: Any, seen: set[int]) -> bool:
    if id(cls) in seen:
        return True  # a model that refers to itself: judged by its other fields
    seen.add(id(cls))
    try:
        if type(cls) is not type(base) or not cls.__dict__.get("__pydantic_complete__", False):
            return False
        if cls.__init__ is not base.__init__ or cls.__new__ is not base.__new__:
            return False
        if getattr(cls, "__pydantic_post_init__", None) is not None \
                or getattr(cls, "__private_attributes__", None):
            return False
        hook = getattr(cls.__get_pydantic_core_schema__, "__func__", None)
        if hook is not base.__get_pydantic_core_schema__.__func__:
            return False
        for name in VALIDATING_METHODS:
            mine = getattr(getattr(cls, name, None), "__func__", None)
            if mine is not getattr(getattr(base, name, None), "__func__", None):
                return False
        decorators = cls.__pydantic_decorators__
        if decorators.validators or decorators.field_validators or decorators.root_validators \
                or decorators.model_validators:
            return False
        if cls.model_config.get("extra") == "allow":
            return False
        for field in cls.model_fields.values():
            factory = field.default_factory
            if factory is not None and factory not in _FACTORIES:
                return False
            if not all(_plain_constraint(m) for m in field.metadata):
                return False
            if not _plain_type(field.annotation, base, seen):
                return False
        return True
    except Exception:  # noqa: BLE001 - a class that cannot be inspected does not qualify
        return False


def _plain_constraint(meta: Any) -> bool:
    """Constraints that only compare (``Field(ge=0, max_length=9)``), not validator functions."""
    module = type(meta).__module__ or ""
    return module == "annotated_types" or module in ("pydantic.fields",
                                                     "pydantic._internal._fields") \
        and type(meta).__name__ == "_PydanticGeneralMetadata"


def _plain_type(tp: Any, base: Any, seen: set[int]) -> bool:
    if tp in _ATOMS:
        return True
    if isinstance(tp, type) and issubclass(tp, base):
        return _judge(tp, base, seen)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Literal:
        return all(type(a) in _ATOMS for a in args)
    if origin in _UNIONS or origin in _CONTAINERS:
        return all(a is Ellipsis or _plain_type(a, base, seen) for a in args)
    return False
