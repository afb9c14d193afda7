"""Pending values: the result of an external call, or of local work on one, before it exists.

A :class:`Pending` stands in for a value the program does not have yet. Operations that only
*build* a new value from it (arithmetic, indexing, attribute reads, comparisons) return another
pending value at once, so local computation never waits for an LLM. Operations whose answer the
program needs right now (``if``, ``len``, iteration, hashing, ``str``) *force* it: the program
thread waits for the value, and if the value failed, the failure is raised at the earliest point
plain Python would have raised it (see :meth:`Runtime.raise_failure`).

Every pending value carries a sequence number in program order. The runtime uses it to keep
effects in order and to decide which failure plain Python would have met first.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opportune.runtime.scheduler import Runtime

PENDING, DONE, FAILED = 0, 1, 2

# The built-in types whose values hold nothing and never change: the runtime never copies
# them, never waits to read them and never tracks them (``type(x) in ATOM_TYPES``).
ATOM_TYPES: frozenset[type] = frozenset({str, bytes, int, float, complex, bool, type(None)})


class Pending:
    """A value that is being computed; see the module docstring."""

    __slots__ = (
        "_rt",
        "_seq",
        "_state",
        "_value",
        "_origin",
        "_callbacks",
        "_type",
        "_label",
        "_calls",
        "_src",
        "_speculative",
        "_stream",
        "_tracks",
        "_fences",
        "_spec",
        "__weakref__",
    )

    def __init__(
        self,
        rt: Runtime,
        seq: int,
        label: str,
        known_type: type | None = None,
        calls: frozenset[int] = frozenset(),
    ) -> None:
        object.__setattr__(self, "_rt", rt)
        object.__setattr__(self, "_seq", seq)
        object.__setattr__(self, "_state", PENDING)
        object.__setattr__(self, "_value", None)
        object.__setattr__(self, "_origin", None)
        object.__setattr__(self, "_callbacks", [])
        object.__setattr__(self, "_type", known_type)
        object.__setattr__(self, "_label", label)
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "_src", None)
        object.__setattr__(self, "_speculative", False)
        # The text so far (runtime/streams.py) while a streaming call or a value derived from
        # its prefix is being computed; None for every other value.
        object.__setattr__(self, "_stream", None)
        # The resources whose reading calls this value holds a result of (or a part of one),
        # and the unfinished changes to such results that later uses wait for (see
        # Runtime.fence_read_results); None unless some external changes read results.
        object.__setattr__(self, "_tracks", None)
        object.__setattr__(self, "_fences", None)
        # A value derived while speculating (an if-converted arm, a later operand of and/or):
        # [its inputs, the computation it put off], until a selection takes it
        # (Runtime.confirm); None for every other value.
        object.__setattr__(self, "_spec", None)

    # -- forcing -------------------------------------------------------------------------------

    def _force(self, hands_out: bool = True) -> Any:
        """The value, waiting for it. ``hands_out``: the caller may keep the object itself
        (not only a truth value, a length or a text made from it)."""
        rt = self._rt
        if self._state == PENDING:
            rt.wait_for(self)
        if self._state == DONE:
            if rt._handed_off and self._seq in rt._handed_off \
                    and type(self._value) not in ATOM_TYPES:
                rt.after_handoff(self)
            if self._calls:
                rt.note_forced(self)
            if self._tracks is not None:
                rt.use_read_result(self, hands_out)
            return self._value
        return rt.raise_failure(self)

    def __bool__(self) -> bool:
        return bool(self._force(False))

    def __len__(self) -> int:
        return len(self._force(False))

    def __iter__(self) -> Any:
        if self._stream is not None and self._state == PENDING and hasattr(self._stream, "item"):
            return _streamed_items(self)
        return iter(self._force())

    def __reversed__(self) -> Any:
        return reversed(self._force())

    def __contains__(self, item: object) -> bool:
        return item in self._force(False)

    def __hash__(self) -> int:
        return hash(self._force(False))

    def __index__(self) -> int:
        return operator.index(self._force(False))

    def __int__(self) -> int:
        return int(self._force(False))

    def __float__(self) -> float:
        return float(self._force(False))

    def __complex__(self) -> complex:
        return complex(self._force(False))

    def __str__(self) -> str:
        return str(self._force(False))

    def __repr__(self) -> str:
        return repr(self._force(False))

    def __format__(self, spec: str) -> str:
        return format(self._force(False), spec)

    def __bytes__(self) -> bytes:
        return bytes(self._force(False))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._force()(*args, **kwargs)

    def __enter__(self) -> Any:
        return self._force().__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self._force().__exit__(*exc)

    def _to_change(self) -> Any:
        """The value, which the program is about to change in place: first wait for the code
        running concurrently that still reads it (runtime/readers.py; a store through a
        target found this value still pending and left the check to this point)."""
        value = self._force()
        if self._rt._call_args and self._seq in self._rt._call_args:
            self._rt.before_changing_argument(self)
        if self._rt.readers.entries and type(value) not in IMMUTABLE_TYPES:
            self._rt.readers.before_change(value)
        return value

    def __setitem__(self, key: Any, value: Any) -> None:
        self._to_change()[key] = value

    def __delitem__(self, key: Any) -> None:
        del self._to_change()[key]

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._to_change(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._to_change(), name)

    def __reduce_ex__(self, protocol: Any) -> Any:
        return self._force().__reduce_ex__(protocol)

    def __copy__(self) -> Any:
        import copy

        return copy.copy(self._force())

    def __deepcopy__(self, memo: Any) -> Any:
        import copy

        return copy.deepcopy(self._force(), memo)

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: D105 - makes isinstance() in library code see the value
        return type(self._force(False))

    # -- building new values without waiting -------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            return getattr(self._force(), name)
        return self._rt.derive_op(getattr, (self, name), f".{name}", attr_of=self)

    def __getitem__(self, key: Any) -> Any:
        if type(key) is slice and any(
            type(b) is Pending for b in (key.start, key.stop, key.step)
        ):
            return self._rt.derive_op(
                _get_slice, (self, key.start, key.stop, key.step), "[:]", item_of=self
            )
        return self._rt.derive_op(operator.getitem, (self, key), "[]", item_of=self)


def _binary(op: Callable[[Any, Any], Any], symbol: str) -> tuple[Any, Any]:
    def forward(self: Pending, other: Any) -> Any:
        return self._rt.derive_op(op, (self, other), symbol)

    def reflected(self: Pending, other: Any) -> Any:
        return self._rt.derive_op(op, (other, self), symbol)

    return forward, reflected


# name, operator, in-place operator, symbol
_ARITHMETIC = (
    ("add", operator.add, operator.iadd, "+"),
    ("sub", operator.sub, operator.isub, "-"),
    ("mul", operator.mul, operator.imul, "*"),
    ("truediv", operator.truediv, operator.itruediv, "/"),
    ("floordiv", operator.floordiv, operator.ifloordiv, "//"),
    ("mod", operator.mod, operator.imod, "%"),
    ("pow", operator.pow, operator.ipow, "**"),
    ("matmul", operator.matmul, operator.imatmul, "@"),
    ("lshift", operator.lshift, operator.ilshift, "<<"),
    ("rshift", operator.rshift, operator.irshift, ">>"),
    ("and", operator.and_, operator.iand, "&"),
    ("or", operator.or_, operator.ior, "|"),
    ("xor", operator.xor, operator.ixor, "^"),
)

for _name, _op, _iop, _sym in _ARITHMETIC:
    _fwd, _ref = _binary(_op, _sym)
    setattr(Pending, f"__{_name}__", _fwd)
    setattr(Pending, f"__r{_name}__", _ref)

for _name, _op, _sym in (
    ("eq", operator.eq, "=="),
    ("ne", operator.ne, "!="),
    ("lt", operator.lt, "<"),
    ("le", operator.le, "<="),
    ("gt", operator.gt, ">"),
    ("ge", operator.ge, ">="),
):
    setattr(Pending, f"__{_name}__", _binary(_op, _sym)[0])

for _name, _op, _sym in (
    ("neg", operator.neg, "-x"),
    ("pos", operator.pos, "+x"),
    ("invert", operator.invert, "~x"),
    ("abs", abs, "abs"),
):

    def _unary(self: Pending, _op: Callable[[Any], Any] = _op, _sym: str = _sym) -> Any:
        return self._rt.derive_op(_op, (self,), _sym)

    setattr(Pending, f"__{_name}__", _unary)


# ``x += y`` on a list changes the list itself, which every other name for it sees; on an
# immutable value it makes a new one, exactly as ``x = x + y``, and that can stay lazy.
IMMUTABLE_TYPES = frozenset({int, float, complex, bool, str, bytes, tuple, frozenset})


def known_type(value: Any) -> type | None:
    """The type ``value`` has or will have, when that is known now."""
    if type(value) is not Pending:
        return type(value)
    if value._state == DONE:
        return type(value._value)
    return value._type


def is_immutable(value: Any) -> bool:
    return known_type(value) in IMMUTABLE_TYPES


_SAMPLES: dict[type, Any] = {int: 1, float: 1.0, complex: 1j, bool: True, str: "a", bytes: b"a",
                             tuple: (1,), frozenset: frozenset({1})}
_RESULT_TYPES: dict[tuple[Any, ...], type | None] = {}


def result_type(op: Callable[..., Any], operands: tuple[Any, ...]) -> type | None:
    """The type ``op`` gives on operands of built-in immutable types (``count + 1`` on an int
    is an int), found once per combination by applying it to sample values."""
    types = tuple(known_type(v) for v in operands)
    if not all(t in _SAMPLES for t in types):
        return None
    key = (op, *types)
    if key not in _RESULT_TYPES:
        try:
            _RESULT_TYPES[key] = type(op(*(_SAMPLES[t] for t in types)))  # type: ignore[index]
        except Exception:  # unknown then; the real operation decides
            _RESULT_TYPES[key] = None
    return _RESULT_TYPES[key]


for _name, _op, _iop, _sym in _ARITHMETIC:

    def _inplace(self: Pending, other: Any, _op: Callable[[Any, Any], Any] = _op,
                 _iop: Callable[[Any, Any], Any] = _iop, _sym: str = _sym) -> Any:
        if is_immutable(self):
            return self._rt.derive_op(_op, (self, other), _sym + "=")
        value = self._force()
        if type(value) not in IMMUTABLE_TYPES:
            if self._rt._call_args and self._seq in self._rt._call_args:
                self._rt.before_changing_argument(self)
            if self._rt._guard_marks:
                self._rt.settle_for_effect((other,))
            if self._rt.readers.entries:
                self._rt.readers.before_change(value)
        return _iop(value, other._force() if type(other) is Pending else other)

    setattr(Pending, f"__i{_name}__", _inplace)


def _streamed_items(p: Pending) -> Any:
    """Iterate a list that is still being produced from streamed text (``text.splitlines()``):
    each item as soon as it is complete, then, once the list exists, the list itself by index,
    exactly as a list iterator would."""
    view = p._stream
    index = 0
    while p._state == PENDING:
        item, ok = view.item(index)
        if not ok:
            break
        p._rt.note_prefix_read(p)
        yield item
        index += 1
    values = p._force()
    if type(values) is not list:  # json.loads gave an object, say: nothing was yielded yet
        it = iter(values)
        for _ in range(index):
            next(it)
        yield from it
        return
    while index < len(values):
        yield values[index]
        index += 1


def _get_slice(value: Any, start: Any, stop: Any, step: Any) -> Any:
    return value[start:stop:step]


def is_pending(value: object) -> bool:
    return type(value) is Pending


def peek(value: Any) -> Any:
    """The value itself if it is not pending or is already computed; otherwise the Pending."""
    if type(value) is Pending and value._state == DONE:
        return value._value
    return value
