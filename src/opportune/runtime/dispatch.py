"""Call sites of compiled code: decide at run time what is being called, and how.

The compiler rewrites every call ``f(a, b)`` into ``__opportune_call__(f, a, b)``. What happens
next depends on the object actually called, never on the name at the call site (dynamic
dispatch): an external is issued and returns a pending value; the program's own compiled
functions run directly and may pass pending values around; pure library functions are applied
lazily once the pending values among their arguments exist; and any other library code first
waits until everything before it in program order has happened (it might print, write a file or
talk to the network) and then runs on real values, exactly as plain Python would run it.
"""

from __future__ import annotations

import builtins
import collections as _collections
import datetime as _datetime
import enum as _enum
import operator
import os
import re
import sys
import threading
import types
import warnings as _warnings
import weakref
from typing import Any

from opportune.compiler.registry import _compiled_ids, pure_functions
from opportune.runtime.caches import LRU_WRAPPER as _LRU_WRAPPER
from opportune.runtime.caches import caches_program_code
from opportune.runtime.caches import call_through as cached_call
from opportune.runtime.context import _local
from opportune.runtime.externals import ENTRY_CODES, SPEC_ATTRIBUTE, ExternalSpec
from opportune.runtime.files import _NOT_QUEUED, note_open, print_later, write_later
from opportune.runtime.files import among as files_among
from opportune.runtime.files import queued as queued_file
from opportune.runtime.library_iterators import (
    PROGRAM_ITERATORS,
    gives_pending,
    hand_over,
    is_iterator_object,
)
from opportune.runtime.logs import log_later
from opportune.runtime.models import VALIDATING_METHODS, validates_only
from opportune.runtime.scheduler import Runtime
from opportune.runtime.snapshot import (
    PLAIN_CONTAINERS,
    fill,
    fill_attributes,
    fill_in_place,
    snapshot,
)
from opportune.runtime.spawn import guard_effect, maybe_spawn
from opportune.runtime.streams import ConcatView, ItemsView, JsonItemsView, StrippedView
from opportune.runtime.values import ATOM_TYPES, DONE, FAILED, PENDING, Pending

_FunctionType = types.FunctionType
_MethodType = types.MethodType

# How a callee is treated.
PLAIN = 0  # call directly; it copes with pending values (compiled code, storing methods)
LAZY = 1  # pure: apply once the pending values in its arguments exist
SHALLOW = 2  # pure and only looks at its top-level arguments
LOCAL = 3  # no outside effect but may mutate or inspect deeply: fill arguments, call now
OPAQUE = 4  # unknown library code: wait for everything earlier, fill arguments, call
PRINT = 5
USER = 6  # the program's own function that has not been compiled yet

_B = builtins
_IOBASE_WRITELINES = __import__("_io")._IOBase.writelines
_BUILTIN_KIND: dict[Any, int] = {}
for _f in (_B.abs, _B.ascii, _B.bin, _B.chr, _B.divmod, _B.format, _B.hex,
           _B.max, _B.min, _B.oct, _B.ord, _B.pow, _B.repr, _B.round, _B.sorted, _B.sum,
           _B.str, _B.int, _B.float, _B.bool, _B.complex, _B.bytes, _B.hash):
    _BUILTIN_KIND[_f] = LAZY
for _f in (_B.len, _B.isinstance, _B.issubclass, _B.type, _B.id, _B.callable, _B.getattr,
           _B.hasattr, _B.range, _B.slice, _B.list, _B.tuple, _B.dict, _B.set, _B.frozenset):
    _BUILTIN_KIND[_f] = SHALLOW
# any() and all() stop early: their generator must run only as far as plain Python runs it.
for _f in (_B.iter, _B.next, _B.enumerate, _B.zip, _B.map, _B.filter, _B.reversed, _B.any,
           _B.all, _B.object, _B.property, _B.staticmethod, _B.classmethod, _B.super):
    _BUILTIN_KIND[_f] = PLAIN
for _f in (_B.setattr, _B.delattr, _B.memoryview, _B.bytearray):
    _BUILTIN_KIND[_f] = LOCAL
_BUILTIN_KIND[_B.print] = PRINT
# The operator module is pure but for these, which change their first argument in place
# (``operator.setitem(d, k, v)``, ``operator.iadd(xs, ys)`` on a list): called at once.
for _name in ("setitem", "delitem", "iadd", "iand", "iconcat", "ifloordiv", "ilshift", "imod",
              "imul", "imatmul", "ior", "ipow", "irshift", "isub", "itruediv", "ixor"):
    _BUILTIN_KIND[getattr(operator, _name)] = LOCAL

# Library modules whose functions are pure: they may be applied lazily to pending values.
_LAZY_MODULES = frozenset({
    "json", "json.decoder", "json.encoder", "_json", "re", "math", "cmath", "textwrap", "string",
    "statistics", "operator", "_operator", "difflib", "html", "urllib.parse", "base64",
    "binascii", "unicodedata", "fnmatch", "shlex", "keyword", "posixpath", "ntpath",
})
# Library modules that act only on the program's own objects (no outside effect), though they
# may mutate them or keep state (random): arguments are filled and the call is made at once.
_LOCAL_MODULES = frozenset({
    "random", "_random", "heapq", "_heapq", "bisect", "_bisect", "copy", "itertools",
    "functools", "_functools", "collections", "_collections", "dataclasses", "typing", "enum",
    "abc", "_abc", "datetime", "_datetime", "decimal", "_decimal", "fractions", "numbers",
    "types", "inspect", "contextlib", "weakref", "uuid", "pydantic", "pydantic_core",
    "pydantic.main", "pydantic._internal", "hashlib", "_hashlib", "zlib", "struct", "array",
    "string.templatelib", "reprlib", "pprint",
})

# Methods of builtin containers that store or hand back items without looking at them.
_LIST_PLAIN = frozenset({"append", "insert", "extend", "copy", "pop", "clear", "reverse",
                         "__getitem__", "__setitem__", "__delitem__", "__len__", "__iter__"})
_DICT_PLAIN = frozenset({"get", "keys", "values", "items", "copy", "pop", "popitem",
                         "setdefault", "update", "clear", "__getitem__", "__setitem__",
                         "__delitem__", "__contains__", "__len__", "__iter__", "fromkeys"})
_VALUE_TYPES = (str, bytes, int, float, complex, bool, tuple, frozenset, range)
# Types whose methods are all pure: a method call on a pending value of one of these types is
# applied lazily instead of waiting for the value.
_PURE_METHOD_TYPES = (*_VALUE_TYPES, re.Match, re.Pattern)
# ``datetime``/``date``/``time``/``timedelta``/``timezone`` objects are immutable, and their
# instance methods (``strftime``, ``isoformat``, ``replace``, ``date()``...) only compute a new
# value; the constructors that read the clock (``datetime.now()``) are class methods, whose
# receiver is the class, so they stay library code with effects. Exact classes only: the C
# methods call overridable methods (``strftime`` calls ``timetuple``), so a subclass's methods
# may run the program's or a library's code.
_DATETIME_TYPES = frozenset({_datetime.date, _datetime.datetime, _datetime.time,
                             _datetime.timedelta, _datetime.timezone})
# Methods of built-in containers that only read the container: on a pending container of a
# known class they become derived values (``_read_later``) instead of waiting for it.
_READ_METHODS: dict[type, frozenset[str]] = {
    dict: frozenset({"get", "keys", "values", "items", "copy"}),
    list: frozenset({"index", "count", "copy"}),
}
# Library callables that change nothing the program holds and have no outside effect, though
# their module as a whole is only LOCAL: a concurrent block may call them without first
# waiting for everything before it. ``pydantic.create_model`` builds a new class from the
# field types it is given (a structured-output schema made inside a deferred loop).
_PURE_LIBRARY_FUNCTIONS = frozenset({("pydantic.main", "create_model")})

_kind_cache: dict[Any, int] = {}
# id(class) -> (the class, its __init__ and __new__ when classified, kind): the program's
# classes are classified at every construction, which took microseconds (module lookups).
_class_kinds: dict[int, tuple[Any, Any, Any, int]] = {}


def _module_kind(module: str | None) -> int:
    if not module:
        return OPAQUE
    if module in _LAZY_MODULES:
        return LAZY
    root = module.split(".", 1)[0]
    if module in _LOCAL_MODULES or root in _LOCAL_MODULES:
        return LOCAL
    return OPAQUE


def _is_user_class(cls: type, rt: Runtime) -> bool:
    from opportune.compiler.functions import is_user_module

    return is_user_module(getattr(cls, "__module__", None), rt)


def _transparent_constructor(cls: type) -> bool:
    """Whether calling ``cls`` only runs the program's own (compiled) code or stores fields."""
    if cls.__new__ is not object.__new__:
        return False
    if type(cls) not in (type,) and type(cls).__module__ not in ("abc",):
        return False
    init = cls.__init__
    if init is object.__init__:
        return True
    if type(init) is not _FunctionType:
        return False
    if id(init.__code__) in _compiled_ids:
        return True
    # dataclasses generate __init__ from a string; it only stores its arguments
    return hasattr(cls, "__dataclass_fields__") and init.__code__.co_filename.startswith("<")


def classify(rt: Runtime, f: Any) -> int:
    """How to treat the callable ``f`` (cached where the answer cannot change)."""
    tf = type(f)
    if tf is types.BuiltinFunctionType or tf is types.BuiltinMethodType:
        owner = getattr(f, "__self__", None)
        if owner is None or isinstance(owner, types.ModuleType):
            try:
                kind = _BUILTIN_KIND.get(f)
            except TypeError:
                kind = None
            if kind is not None:
                return kind
            mod = owner.__name__ if isinstance(owner, types.ModuleType) else f.__module__
            return _module_kind(mod)
        key = (type(owner), f.__name__)
        kind = _kind_cache.get(key)
        if kind is None:
            kind = _method_kind(type(owner), f.__name__)
            _kind_cache[key] = kind
        return kind
    if tf is types.MethodWrapperType or tf is types.WrapperDescriptorType or \
            tf is types.MethodDescriptorType:
        owner = getattr(f, "__self__", None) or getattr(f, "__objclass__", None)
        owner_type = owner if isinstance(owner, type) else type(owner)
        kind = _method_kind(owner_type, f.__name__)
        if kind == PLAIN and tf is not types.MethodWrapperType:
            # unbound (``dict.update(d, ...)``, ``list.append(xs, x)``): the container is
            # the first argument, which must be the real one, and may be changed
            return LOCAL
        return kind
    if isinstance(f, type):
        if f in _BUILTIN_KIND:
            return _BUILTIN_KIND[f]
        if issubclass(f, _VALUE_TYPES) and f.__module__ == "builtins":
            return LAZY
        if f in _DATETIME_TYPES:
            return LAZY  # a date, time or duration: an immutable value made from its arguments
        if issubclass(f, dict) and type(f).__name__ == "_TypedDictMeta":
            # a TypedDict (pydantic's ConfigDict, or the program's own): calling it builds a
            # plain dict, exactly as dict(...) does
            return SHALLOW
        cached = _class_kinds.get(id(f))
        if cached is not None and cached[0]() is f and cached[1] is f.__init__ \
                and cached[2] is f.__new__:
            return cached[3]
        if _is_user_class(f, rt):
            from opportune.compiler.functions import compile_class_in_place

            compile_class_in_place(f, rt)
            if _transparent_constructor(f):
                kind = PLAIN
            elif validates_only(f):
                kind = LAZY  # a pydantic model built from plain data (runtime/models.py)
            else:
                kind = LOCAL
            try:
                _class_kinds[id(f)] = (weakref.ref(f), f.__init__, f.__new__, kind)
            except TypeError:
                pass
            return kind
        if issubclass(f, BaseException):
            return LOCAL
        return _module_kind(f.__module__)
    if tf is _FunctionType:
        from opportune.compiler.functions import is_user_function

        if is_user_function(f, rt):
            return USER
        if (f.__module__, f.__name__) in _PURE_LIBRARY_FUNCTIONS:
            return LAZY
        if f.__code__.co_filename.startswith("<"):
            from opportune.compiler.functions import is_user_module, note_built_from_string

            if is_user_module(f.__module__):  # the program's, built by exec or eval
                note_built_from_string(rt, f)
        return _module_kind(f.__module__)
    if isinstance(f, (functools_partial_type,)):
        return PLAIN
    return _module_kind(getattr(f, "__module__", None) or type(f).__module__)


def _method_kind(owner: type, name: str) -> int:
    if issubclass(owner, _PURE_METHOD_TYPES) or owner in _DATETIME_TYPES:
        return LAZY
    if issubclass(owner, list):
        return PLAIN if name in _LIST_PLAIN else LOCAL
    if issubclass(owner, dict):
        return PLAIN if name in _DICT_PLAIN else LOCAL
    if issubclass(owner, (set,)):
        return PLAIN
    return _module_kind(owner.__module__)


import functools as _functools

functools_partial_type = _functools.partial


def _any_pending(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    for a in args:
        if type(a) is Pending:
            return True
    for a in kwargs.values():
        if type(a) is Pending:
            return True
    return False


_RE_RESULTS: dict[str, type] = {
    "search": re.Match, "match": re.Match, "fullmatch": re.Match, "findall": list,
    "split": list, "sub": str, "escape": str, "group": str,
}


def _result_type(f: Any) -> type | None:
    owner = getattr(f, "__self__", None)
    module = getattr(f, "__module__", None)
    if module == "re" or type(owner) is re.Pattern:
        return _RE_RESULTS.get(getattr(f, "__name__", ""))
    if type(owner) is str:
        name = f.__name__
        if name in ("split", "splitlines", "rsplit"):
            return list
        if name in ("startswith", "endswith", "isdigit", "isalpha", "isspace", "islower",
                    "isupper", "isalnum", "isnumeric", "isdecimal", "istitle", "isidentifier"):
            return bool
        if name in ("find", "rfind", "index", "rindex", "count"):
            return int
        if name in ("partition", "rpartition"):
            return tuple
        if name == "encode":
            return bytes
        return str
    if f is _B.str or f is _B.repr or f is _B.format:
        return str
    if module == "json" and f is _json_dumps():
        return str
    if f is _B.int or f is _B.len:
        return int
    if f is _B.float:
        return float
    if isinstance(f, type):
        return f if validates_only(f) else None  # a pydantic model built lazily
    if type(f) is _MethodType and getattr(f, "__name__", "") in VALIDATING_METHODS \
            and validates_only(owner):
        return owner
    return None


def call(f: Any, /, *args: Any, **kwargs: Any) -> Any:
    """The call site of compiled code; see the module docstring."""
    rt: Runtime | None = getattr(_local, "runtime", None)
    if rt is None:
        if _reads_caller(f):
            frame = _frame_call(f, args, kwargs)
            if frame is not None:
                return frame
            kwargs = _caller_kwargs(f, args, kwargs)
        return f(*args, **kwargs)
    tf = type(f)
    if tf is _BuiltinMethodType:
        owner = type(f.__self__)
        if owner in _VALUE_OWNERS and not kwargs and _atoms(args):
            return f(*args)  # "w1".upper(): a pure method of a value, nothing pending
        if owner is list and f.__name__ == "append" and not rt.readers.entries and (
                not rt._guard_marks or not rt._live and not rt._failures and _atoms(args)):
            # items.append(x) outside try bodies (it copes with pending x), or inside one
            # when no call can fail any more
            return f(*args)
    elif tf is _BuiltinFunctionType or tf is type:
        kind = _FAST_KINDS.get(f) if tf is type or f.__self__ is _B else None
        if kind is not None and not kwargs and (
                _atoms(args) if kind == LAZY else _not_pending(args)):
            return f(*args)  # len(items), range(n), int("3"): nothing pending, no effect
    if tf is _FunctionType:
        code_id = id(f.__code__)
        if code_id in _compiled_ids:
            facts = pure_functions.get(code_id)
            if facts is not None and facts.worth_spawning:
                spawned = maybe_spawn(rt, f, facts, args, kwargs)
                if spawned is not None:
                    return spawned
            return f(*args, **kwargs)
        spec = f.__dict__.get(SPEC_ATTRIBUTE)
        if spec is not None and f.__code__ in ENTRY_CODES:
            return rt.issue(spec, f.__opportune_target__, args, kwargs)
    elif tf is _MethodType:
        func = f.__func__
        if type(func) is _FunctionType:
            if id(func.__code__) in _compiled_ids:
                return f(*args, **kwargs)
            spec = func.__dict__.get(SPEC_ATTRIBUTE)
            if spec is not None and func.__code__ in ENTRY_CODES:
                return rt.issue(spec, func.__opportune_target__, (f.__self__, *args), kwargs)
            if classify(rt, func) == USER:
                from opportune.compiler.functions import compiled_version

                compiled = compiled_version(func, rt)
                if compiled is not None:
                    return compiled(f.__self__, *args, **kwargs)
            if func.__name__ in VALIDATING_METHODS and validates_only(f.__self__):
                # Verdict.model_validate_json(answer): a pure function of the answer
                return _call_kind(rt, LAZY, f, args, kwargs)
            return _call_kind(rt, _module_kind(func.__module__), f, args, kwargs)
        if type(func) is _LRU_WRAPPER and _local.__dict__.get("scope") is None \
                and caches_program_code(func):
            return cached_call(rt, f, args, kwargs)  # an lru_cache method of the program's
    elif tf is _LRU_WRAPPER and _local.__dict__.get("scope") is None and caches_program_code(f):
        return cached_call(rt, f, args, kwargs)
    elif tf is Pending:
        return _call_pending(rt, f, args, kwargs)
    elif tf is functools_partial_type:
        # what the partial calls is judged as if the program called it (p420): the builtin
        # print keeps its place in the output, library code with effects waits, an external
        # is issued
        return call(f.func, *f.args, *args, **{**f.keywords, **kwargs})
    if not rt._any and tf is not _FunctionType and (
        not args or type(args[0]) not in PROGRAM_ITERATORS
    ) and not (_any_callable(args, kwargs) and _routing_needed(rt, f, args, kwargs, True)):
        # Nothing pending exists and nothing is queued: plain Python, except for print, which
        # must still pass through the output queue's bookkeeping.
        if f is _B.print:
            return _print(rt, args, kwargs)
        if f is _B.open:
            result = f(*args, **kwargs)
            note_open(rt, result)
            return result
        if f is _WARN or f is _GETFRAME or tf is _EnumType:
            frame = _frame_call(f, args, kwargs)
            if frame is not None:
                return frame
            kwargs = _caller_kwargs(f, args, kwargs)
        return f(*args, **kwargs)
    kind = classify(rt, f)
    if kind == USER:
        from opportune.compiler.functions import compiled_version

        compiled = compiled_version(f, rt)
        if compiled is not None:
            return compiled(*args, **kwargs)
        kind = OPAQUE
    return _call_kind(rt, kind, f, args, kwargs)


_BuiltinMethodType = types.BuiltinMethodType
_BuiltinFunctionType = types.BuiltinFunctionType
# The fast path of call(): pure builtins and methods of values, when no argument is pending.
_VALUE_OWNERS = frozenset({str, bytes, int, float, bool, complex, tuple, frozenset})
_FAST_KINDS: dict[Any, int] = {
    f: kind for f, kind in _BUILTIN_KIND.items() if kind in (LAZY, SHALLOW)
}


def _atoms(args: tuple[Any, ...]) -> bool:
    for a in args:
        if type(a) not in ATOM_TYPES:
            return False
    return True


def _not_pending(args: tuple[Any, ...]) -> bool:
    for a in args:
        if type(a) is Pending or type(a) in _ITERATORS:
            return False
    return True


_ITERATORS = (types.GeneratorType, type(iter([])), type(iter(())), type(iter({}.keys())),
              type(map(len, ())), type(filter(None, ())), type(zip()), enumerate, reversed,
              type(iter({}.values())), type(iter({}.items())))

_CONSUMERS = frozenset({_B.set, _B.frozenset, _B.dict, _B.list, _B.tuple})


def _iterator_among(args: tuple[Any, ...], kwargs: dict[str, Any],
                    objects: bool = False) -> bool:
    """Whether an iterator of the program's is among the arguments (``objects``: also one of
    a class of the program's, looked for only before opaque library code, where it costs
    little beside the wait)."""
    for a in (*args, *kwargs.values()) if kwargs else args:
        ta = type(a)
        if ta in PROGRAM_ITERATORS or objects and ta not in ATOM_TYPES and is_iterator_object(a):
            return True
    return False


def _passes_items_on(f: Any) -> bool:
    """Whether LOCAL library code ``f`` may take an iterator of the program's as it is: it
    passes the items on to whoever iterates it (``itertools.chain``,
    ``chain.from_iterable``) or only stores them for the program (``collections.deque``)."""
    if f is _collections.deque:
        return True
    owner = f if type(f) is type else getattr(f, "__self__", None)
    return type(owner) is type and owner in PROGRAM_ITERATORS

_LAZY_LOOKUPS = frozenset({"get", "__getitem__", "__contains__", "count", "index"})

_CHANGEABLE_RECEIVERS = (list, dict, set)
_MUTATORS = frozenset({
    "append", "insert", "extend", "pop", "remove", "clear", "reverse", "sort", "update",
    "setdefault", "popitem", "add", "discard", "__setitem__", "__delitem__", "__iadd__",
    "intersection_update", "difference_update", "symmetric_difference_update",
})


def _json_dumps() -> Any:
    """``json.dumps`` once a program has imported json (see _json_loads)."""
    json = sys.modules.get("json")
    return None if json is None else getattr(json, "dumps", None)


def _json_loads() -> Any:
    """``json.loads`` once a program has imported json (None before: nothing can call it);
    looked up, not imported, so that a run that never uses json does not load it."""
    json = sys.modules.get("json")
    return None if json is None else getattr(json, "loads", None)


_OWN_FILES = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_WARN = _warnings.warn
_GETFRAME = sys._getframe
_EnumType = type(_enum.Enum)
_LOG_CALLS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical",
                        "fatal", "log"})


def _reads_caller(f: Any) -> bool:
    """Whether library function ``f`` looks at the frame that called it: logging (function
    name and line of a record), ``warnings.warn`` (the line it reports), ``namedtuple`` and
    the functional ``Enum`` API (the module a new class belongs to, which pickling needs),
    ``sys._getframe`` and ``inspect.currentframe``."""
    if f is _WARN or f is _GETFRAME or isinstance(f, _EnumType):
        return True
    module = getattr(f, "__module__", None)
    return module == "logging" or module == "collections" or module == "inspect"


def _program_frame(depth: int = 0) -> types.FrameType | None:
    """The frame ``depth`` levels above the program's frame that called into opportune's call
    site, counting only frames that are not opportune's own."""
    frame: types.FrameType | None = sys._getframe(2)
    while frame is not None:
        if not frame.f_code.co_filename.startswith(_OWN_FILES):
            if depth == 0:
                return frame
            depth -= 1
        frame = frame.f_back
    return None


def _frame_call(f: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``f(*args, **kwargs)`` for ``sys._getframe`` and ``inspect.currentframe``, answered
    with the program's frames (skipping opportune's call-site frames); None when it is some
    other call."""
    if f is _GETFRAME and not kwargs and len(args) <= 1 and all(type(a) is int for a in args):
        frame = _program_frame(args[0] if args else 0)
        if frame is None:
            raise ValueError("call stack is not deep enough")
        return frame
    if getattr(f, "__name__", "") == "currentframe" and not args and not kwargs \
            and getattr(f, "__module__", None) == "inspect":
        return _program_frame()
    return None


def _caller_kwargs(f: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` for a call of ``f`` (see :func:`_reads_caller`) made by the caller of this
    function, such that ``f`` sees the program's frame rather than opportune's call-site
    frames: a ``stacklevel`` that skips them, or the program's module named outright."""
    name = getattr(getattr(f, "__func__", f), "__name__", "")
    if f is _WARN or name in _LOG_CALLS and getattr(f, "__module__", None) == "logging":
        wanted = kwargs.get("stacklevel", 1)
        if type(wanted) is not int or wanted < 1:
            return kwargs
        frame = sys._getframe(1)
        level = seen = 1
        while frame is not None:
            if not frame.f_code.co_filename.startswith(_OWN_FILES):
                if seen == wanted:
                    return {**kwargs, "stacklevel": level}
                seen += 1
            frame = frame.f_back
            level += 1
        return kwargs
    functional_enum = isinstance(f, _EnumType) and (len(args) > 1 or "names" in kwargs)
    if "module" in kwargs or not (functional_enum or name == "namedtuple"):
        return kwargs
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_OWN_FILES):
        frame = frame.f_back
    if frame is None:
        return kwargs
    return {**kwargs, "module": frame.f_globals.get("__name__", "__main__")}


# Library callables that call the callables they are given (a key, a mapped function, an exit
# callback), by (module, qualified name): such a callable that is library code with effects or
# ``print`` would run where the library calls it, outside the program's call sites.
_CALLS_ITS_ARGUMENTS = frozenset({
    ("builtins", "map"), ("builtins", "filter"), ("builtins", "sorted"), ("builtins", "min"),
    ("builtins", "max"), ("builtins", "list.sort"), ("_functools", "reduce"),
    ("functools", "reduce"), ("itertools", "starmap"), ("itertools", "accumulate"),
    ("itertools", "groupby"), ("itertools", "filterfalse"), ("itertools", "takewhile"),
    ("itertools", "dropwhile"), ("heapq", "nsmallest"), ("heapq", "nlargest"),
    ("heapq", "merge"), ("weakref", "finalize"), ("contextlib", "_BaseExitStack.callback"),
    ("contextlib", "_BaseExitStack.push"), ("contextlib", "ExitStack.callback"),
    ("contextlib", "ExitStack.push"),
})
# Library callables that check the type of what the program's callback returns (``re.sub``'s
# replacement must be a str, ``json.dumps``'s ``default`` a serialisable value): a compiled
# function of the program may hand back a pending value, which they cannot take (p424).
# Each maps to where it takes the callback: (position or None, keyword).
_CHECKS_CALLBACK_RESULTS: dict[tuple[str, str], tuple[int | None, str]] = {
    ("re", "sub"): (1, "repl"), ("re", "subn"): (1, "repl"),
    ("re", "Pattern.sub"): (0, "repl"), ("re", "Pattern.subn"): (0, "repl"),
    ("json", "dumps"): (None, "default"), ("json", "dump"): (None, "default"),
}
# (an lru_cache wrapper: ``map(cached, qs)`` calls it through a call site, runtime/caches.py)
_CALLABLE_TYPES = frozenset({_FunctionType, _MethodType, types.BuiltinFunctionType,
                             types.BuiltinMethodType, _functools.partial, _LRU_WRAPPER,
                             types.MethodDescriptorType})  # str.upper in map(str.upper, ...)


# Those of _CALLS_ITS_ARGUMENTS that call what they are given before they return: before the
# run has issued anything, nothing can be queued ahead of such a call, so it needs no routing.
_CALLS_AT_ONCE = frozenset({
    ("builtins", "sorted"), ("builtins", "min"), ("builtins", "max"), ("builtins", "list.sort"),
    ("_functools", "reduce"), ("functools", "reduce"), ("heapq", "nsmallest"),
    ("heapq", "nlargest"),
})


def _routing_needed(rt: Runtime, f: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
                    early: bool = False) -> bool:
    """Whether :func:`_route_callables` would change the arguments of this call of ``f``
    (``early``: nothing has been issued yet)."""
    name = _library_name(f)
    if name in _CHECKS_CALLBACK_RESULTS:
        return True
    if name not in _CALLS_ITS_ARGUMENTS or early and name in _CALLS_AT_ONCE:
        return False
    for a in (*args, *kwargs.values()) if kwargs else args:
        ta = type(a)
        if ta is _FunctionType and id(a.__code__) in _compiled_ids:
            continue  # the program's own function (a key= lambda): nothing to route
        if ta in _CALLABLE_TYPES and ta is not _functools.partial and _needs_call_site(
                rt, a, *_mapped(name, args)):
            return True
    return False


_MAPS = frozenset({("builtins", "map"), ("builtins", "filter")})


def _mapped(name: Any, args: tuple[Any, ...]) -> tuple[tuple[Any, ...] | None, bool]:
    """For ``map(g, *iterables)`` and ``filter(g, iterable)``: the iterables ``g`` is given
    the items of, and whether the result is lazy in ``g``'s results (``map``)."""
    if name in _MAPS and args:
        return args[1:], name == ("builtins", "map")
    return None, False


_names: dict[int, tuple[Any, tuple[Any, Any]]] = {}  # id(callee) -> (callee, its name)


def _library_name(f: Any) -> tuple[Any, Any]:
    """(module, qualified name) of a library callable, for the two tables above; found once
    for a function, class or builtin (it stays alive in the cache, so its id is not reused)."""
    tf = type(f)
    if tf is _FunctionType or tf is type or tf is types.BuiltinFunctionType:
        known = _names.get(id(f))
        if known is not None and known[0] is f:
            return known[1]
        name = _find_library_name(f)
        if len(_names) < 4096:
            _names[id(f)] = (f, name)
        return name
    return _find_library_name(f)


def _find_library_name(f: Any) -> tuple[Any, Any]:
    g = f.__func__ if type(f) is _MethodType else f
    name = getattr(g, "__qualname__", None)
    owner = getattr(g, "__self__", None) if type(g) is not _FunctionType else None
    if owner is not None and not isinstance(owner, types.ModuleType):
        # a method of a built-in type (``list.sort``, ``re.Pattern.sub``)
        return type(owner).__module__, name
    return getattr(g, "__module__", None), name


def _with_concrete_result(g: Any) -> Any:
    """The callback ``g``, for library code that checks the type of what it returns: called
    through a call site (it may be the program's function, a partial of one, ``print``...),
    its result is handed back with no pending value in it."""
    def concrete(*args: Any, **kwargs: Any) -> Any:
        result = call(g, *args, **kwargs)
        if type(result) is Pending or type(result) in PLAIN_CONTAINERS:
            return fill(result)
        return result

    concrete.__wrapped__ = g  # type: ignore[attr-defined]
    return concrete


def _needs_call_site(rt: Runtime, g: Any, mapped: tuple[Any, ...] | None = None,
                     lazy: bool = False) -> bool:
    """Whether ``g``, called by library code, must go through a call site: ``print``, library
    code with effects, or a function of the program not compiled yet. ``mapped``: the
    iterables ``map``/``filter`` pass to ``g``; then also an external given to ``map`` (``lazy``:
    ``filter`` tests each answer's truth at once, so it gains nothing; called
    there by map's C loop, it would wait for each answer in turn; through a call site each
    call is issued as the items are taken, p812), and pure library code over items that may
    be pending (``map(str.upper, answers)``: ``str.upper`` takes no stand-in, p811)."""
    func = g.__func__ if type(g) is _MethodType else g
    if type(func) is _FunctionType and id(func.__code__) in _compiled_ids:
        return False
    if type(func) is _FunctionType and SPEC_ATTRIBUTE in func.__dict__:
        return lazy and mapped is not None
    kind = classify(rt, func if type(func) is _FunctionType else g)
    if kind in (PRINT, OPAQUE, USER):
        return True
    if mapped is None:
        return False
    for a in mapped:
        if _may_yield_pending(a, rt._any):
            return True
    return False


def _may_yield_pending(a: Any, issued: bool) -> bool:
    """Whether iterating ``a`` may give a pending value: an iterator of the program's (whose
    code may issue a call as it is iterated), a pending value, a list or tuple holding one
    (looked for only once a call was ``issued``: before, no pending value exists)."""
    ta = type(a)
    if ta is Pending or gives_pending(a):
        return True
    return issued and (ta is list or ta is tuple) and Pending in set(map(type, a))


def _through_call_site(g: Any) -> Any:
    def routed(*args: Any, **kwargs: Any) -> Any:
        return call(g, *args, **kwargs)

    routed.__wrapped__ = g  # type: ignore[attr-defined]
    return routed


def _route_callables(rt: Runtime, kind: int, f: Any, args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> tuple[int, tuple[Any, ...], dict[str, Any]]:
    """The kind and arguments for library code ``f`` that calls the callables it is given
    (``map(print, lines)``, ``stack.callback(print, "done")``, ``re.sub(p, repl, s)``): those
    that must keep their place in program order are wrapped to call through a call site when
    the library calls them (p420), as plain Python would have run them there; the program's
    own functions handed to library code that checks what they return give back real values,
    and that library code runs now, on the program's thread, where their calls are issued as
    any other (p424)."""
    name = _library_name(f)
    where = _CHECKS_CALLBACK_RESULTS.get(name)  # type: ignore[arg-type]
    if where is not None:
        position, keyword = where
        if position is not None and len(args) > position:
            g = args[position]
            if callable(g) and not isinstance(g, type):
                args = (*args[:position], _with_concrete_result(g), *args[position + 1:])
                kind = LOCAL if kind in (LAZY, SHALLOW) else kind
        g = kwargs.get(keyword)
        if g is not None and callable(g) and not isinstance(g, type):
            kwargs = {**kwargs, keyword: _with_concrete_result(g)}
            kind = LOCAL if kind in (LAZY, SHALLOW) else kind
        return kind, args, kwargs
    if name in _CALLS_ITS_ARGUMENTS and kind in (LAZY, SHALLOW) and _runs_the_programs(args, kwargs):
        # ``sorted(docs, key=rank)`` with ``docs`` pending: applied later, on the loop thread,
        # the key would print out of program order and make its calls unseen there; it runs
        # now, on the program's thread, where its calls are issued as any other (p752)
        kind = LOCAL
    if name not in _CALLS_ITS_ARGUMENTS or not _routing_needed(rt, f, args, kwargs):
        return kind, args, kwargs

    mapped, lazy = _mapped(name, args)

    def route(g: Any) -> Any:
        if type(g) in _CALLABLE_TYPES and type(g) is not _functools.partial \
                and _needs_call_site(rt, g, mapped, lazy):
            return _through_call_site(g)
        return g

    return kind, tuple(map(route, args)), {k: route(v) for k, v in kwargs.items()}


def _runs_the_programs(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether a callable among the arguments makes calls of its own: an external, or a
    compiled function or lambda of the program that calls anything (``key=rank``, which may
    print or ask a model); also a method or partial of one. ``key=lambda h: h["score"]``
    makes none."""
    for a in (*args, *kwargs.values()):
        ta = type(a)
        if ta is _functools.partial:
            a = a.func
            ta = type(a)
        if ta is _MethodType:
            a = a.__func__
            ta = type(a)
        if ta is _FunctionType and (SPEC_ATTRIBUTE in a.__dict__ or
                                    id(a.__code__) in _compiled_ids and _calls(a.__code__)):
            return True
    return False


_CALLING: dict[int, tuple[types.CodeType, bool]] = {}


def _calls(code: types.CodeType) -> bool:
    """Whether compiled ``code`` (or code nested in it) makes a call: every call of compiled
    code goes through the call-site hook, inline call sites included."""
    known = _CALLING.get(id(code))
    if known is not None and known[0] is code:
        return known[1]
    found = "__opportune_call__" in code.co_names or any(
        type(c) is types.CodeType and _calls(c) for c in code.co_consts)
    if len(_CALLING) < 4096:
        _CALLING[id(code)] = (code, found)
    return found


def _any_callable(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    for a in args:
        if type(a) in _CALLABLE_TYPES:
            return True
    for a in kwargs.values():
        if type(a) in _CALLABLE_TYPES:
            return True
    return False


def _queued_as_is(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether a ``print`` made by code running concurrently (a deferred arm) can be queued
    at its place without waiting for what comes before it: to stdout or stderr, of values
    whose text reading them runs no code of the program's that could see a later state
    (``spawn._safe``: atoms, pending values, containers of them)."""
    from opportune.runtime.spawn import _safe

    file = kwargs.get("file")
    if file is not None and file is not sys.stdout and file is not sys.stderr:
        return False
    return all(_safe(a, True) for a in args)


def _call_kind(rt: Runtime, kind: int, f: Any, args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> Any:
    if rt.files and kind != OPAQUE and kind != PRINT and files_among(rt, args, kwargs):
        # ``json.dump(answer, f)``, ``pprint.pprint(x, stream=f)``: library code that would
        # otherwise run later (or at once, ahead of the file's queued writes) writes to the
        # file; it runs in program order, after them (runtime/files.py)
        kind = OPAQUE
    if kind == OPAQUE and getattr(f, "__module__", None) == "logging" \
            and getattr(_local, "scope", None) is None \
            and log_later(rt, f, args, kwargs, _program_frame()):
        return None  # queued at its place in the output (runtime/logs.py)
    if kind == OPAQUE and type(f) is _BuiltinMethodType and f.__name__ in _FILE_WRITES:
        if f.__name__ == "writelines":
            if _writes_one_by_one(rt, f, args, kwargs):
                write = f.__self__.write
                for line in args[0]:
                    call(write, line)
                return None
        elif rt.files:
            result = write_later(rt, f, args, kwargs)
            if result is not _NOT_QUEUED:
                return result  # queued at its place in program order (runtime/files.py)
    if _any_callable(args, kwargs):
        kind, args, kwargs = _route_callables(rt, kind, f, args, kwargs)
    if kind != PRINT and _reads_caller(f):
        frame = _frame_call(f, args, kwargs)
        if frame is not None:
            return frame
        kwargs = _caller_kwargs(f, args, kwargs)
    if kind >= LOCAL and getattr(_local, "scope", None) is not None \
            and not (kind == PRINT and _queued_as_is(args, kwargs)):
        guard_effect(rt, f)
    if rt._guard_marks and (kind == LOCAL or getattr(f, "__name__", "") in _MUTATORS):
        rt.settle_for_effect((args, kwargs))
    if rt.readers.entries:
        if kind == PLAIN and getattr(f, "__name__", "") in _MUTATORS:
            rt.readers.before_change(getattr(f, "__self__", None))
        elif kind == LOCAL:
            receiver = getattr(f, "__self__", None)
            if isinstance(receiver, _CHANGEABLE_RECEIVERS) \
                    and getattr(f, "__name__", "") in _MUTATORS:
                # ``hits.sort(...)``: a LOCAL method (its key may be the program's code)
                # changes its own list, which is no argument
                rt.readers.before_change(receiver)
            for a in (*args, *kwargs.values()):
                # the call is about to fill it: a pending one has its value first, so that
                # a reader of that value (a queued print of it) sees the change coming
                rt.readers.before_change(a._force() if type(a) is Pending else a)
    if kind == PLAIN:
        if args and type(args[0]) is Pending and getattr(f, "__name__", "") in _LAZY_LOOKUPS \
                and type(getattr(f, "__self__", None)) in (dict, list, tuple):
            result = rt.derive_call(f, args, kwargs, f.__name__)
            if type(f.__self__) is not tuple and type(result) is Pending \
                    and result._state == PENDING and not result._speculative:
                # the lookup reads the container when the key exists: a change the program
                # makes to it meanwhile (``counts[w] = counts.get(w, 0) + 1``) waits (p423)
                rt.readers.add_object_reader(result, f.__self__)
            return result
        if f is _B.next and args and type(args[0]) is Pending:
            # an iterator a call returned (a generator external): next() takes no stand-in
            args = (args[0]._force(), *args[1:])
        return f(*args, **kwargs)
    if kind == LAZY:
        if f is _json_loads() and len(args) == 1 and not kwargs and type(args[0]) is Pending \
                and args[0]._stream is not None and args[0]._state == PENDING:
            result = rt.derive_call(f, args, kwargs, "json.loads")
            object.__setattr__(result, "_stream", JsonItemsView(args[0]._stream))
            return result
        if any(type(a) in _ITERATORS for a in args):
            # A generator runs the program's own code: run it now, in program order.
            args = tuple(tuple(a) if type(a) in _ITERATORS else a for a in args)
        return rt.derive_call(f, args, kwargs, getattr(f, "__name__", "call"), _result_type(f))
    if kind == SHALLOW:
        if args and type(args[0]) in _ITERATORS and f in _CONSUMERS:
            # Run the generator to the end first, as the constructor would, so that hashing
            # its first item does not hold back the calls that produce the others.
            args = (tuple(args[0]), *args[1:])
        if _any_pending(args, kwargs):
            return rt.derive_call(f, args, kwargs, getattr(f, "__name__", "call"),
                                  _result_type(f))
        return f(*args, **kwargs)
    if kind == PRINT:
        return _print(rt, args, kwargs)
    if kind == LOCAL:
        if rt._any:
            args = tuple(fill_in_place(a) for a in args)
            kwargs = {k: fill_in_place(v) for k, v in kwargs.items()}
            _fill_objects(f, args, kwargs, False)
        if _iterator_among(args, kwargs) and not _passes_items_on(f):
            # ``array.array("u", gen)``: the items reach library code real, as an opaque
            # call's do; ``itertools`` only passes them on to whoever iterates it (p815)
            args, kwargs = hand_over(f, args, kwargs)
        return f(*args, **kwargs)
    # OPAQUE: library code that might have an outside effect runs in program order on real values
    rt.in_program_order(f"library code {_describe(f)} may have effects: it runs in program order")
    if rt._async_calls:
        args = tuple(_as_coroutine(rt, a) for a in args)
    if _iterator_among(args, kwargs, True):
        # writelines(gen), writelines(an iterator of the program's class): real items (p810)
        args, kwargs = hand_over(f, args, kwargs, True)
    args = tuple(fill_in_place(a) for a in args)
    kwargs = {k: fill_in_place(v) for k, v in kwargs.items()}
    if rt._any:
        _fill_objects(f, args, kwargs, True)
    if f is _B.open:
        result = f(*args, **kwargs)
        note_open(rt, result)
        return result
    return f(*args, **kwargs)


_FILE_WRITES = frozenset({"write", "writelines"})


def _writes_one_by_one(rt: Runtime, f: Any, args: tuple[Any, ...],
                       kwargs: dict[str, Any]) -> bool:
    """Whether ``f.writelines(items)`` is made as the ``f.write(item)`` calls it consists
    of (``IOBase.writelines``), each judged as the program's own: on a file whose writes are
    queued (runtime/files.py), the items a list, a tuple or an iterator (a generator
    yielding answers: plain Python runs its code between the writes, and each answer is
    known by its write). On any other file an iterator is handed over as library code gets
    it (runtime/library_iterators.py: run ahead where the file is not stdout, p816)."""
    owner = f.__self__
    if kwargs or len(args) != 1 or getattr(type(owner), "writelines", None) is not _IOBASE_WRITELINES \
            or getattr(owner, "closed", True):
        return False
    items = args[0]
    return (type(items) in _ITERATORS or type(items) in (list, tuple)) \
        and rt.files is not None and queued_file(rt, owner)


def _fill_objects(f: Any, args: tuple[Any, ...], kwargs: dict[str, Any], inside: bool) -> None:
    """Library code with effects or that changes what it is given reads the attributes of the
    objects it gets (a pydantic model it serialises, the receiver of its method): the pending
    values in them are filled in first (snapshot.fill_attributes, p427). ``inside``: also the
    objects directly inside the containers it gets; left out for LOCAL library code, which
    runs often on the program's own structures (``heapq.heappush(frontier, node)``) and has no
    effect of its own."""
    receiver = getattr(f, "__self__", None)
    if receiver is not None and type(f) is not _FunctionType:
        fill_attributes(receiver, inside)
    for a in args:
        if type(a) not in ATOM_TYPES:
            fill_attributes(a, inside)
    for a in kwargs.values():
        if type(a) not in ATOM_TYPES:
            fill_attributes(a, inside)


def _as_coroutine(rt: Runtime, value: Any) -> Any:
    """Plain Python hands library code (``asyncio.run``, ``gather``) a coroutine for a call of
    an ``async def`` external; opportune has already started the call, so the coroutine only
    collects its result."""
    if type(value) is Pending and value._seq in rt._async_calls:
        async def collect_result() -> Any:
            return value._force()

        return collect_result()
    return value


def _describe(f: Any) -> str:
    mod = getattr(f, "__module__", None) or type(f).__module__
    name = getattr(f, "__qualname__", None) or getattr(f, "__name__", None) or type(f).__name__
    return f"{mod}.{name}" if mod else str(name)


def _program_stream(stream: Any) -> bool:
    """Whether ``stream`` writes through a compiled ``write`` of the program's own class."""
    write = getattr(type(stream), "write", None)
    return type(write) is _FunctionType and id(write.__code__) in _compiled_ids


def _as_of_arm(file: Any, streams: tuple[Any, Any]) -> Any:
    """The stream a deferred arm's ``print`` writes to: the one its ``file=`` named
    (``sys.stdout`` or ``sys.stderr``, read as the arm runs; nothing else is allowed there,
    compiler/purity.reads_only) as the program had it where the arm was deferred
    (``deferral._printing_as_of``). While the program has both names on one object, which
    one the arm named cannot be told from the object: ``sys.stderr`` is taken then."""
    import sys

    if file is None or file is sys.stdout and file is not sys.stderr:
        return streams[0]
    if file is sys.stderr:
        return streams[1]
    return file


def _print(rt: Runtime, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    import sys

    unknown = set(kwargs) - {"sep", "end", "file", "flush"}
    if unknown:
        return _B.print(*args, **kwargs)  # raises the same TypeError as plain Python
    file = kwargs.get("file")
    streams = getattr(_local, "streams", None)
    if streams is not None:  # a deferred arm's print, to stdout or stderr
        file = kwargs["file"] = _as_of_arm(file, streams)
    if streams is None and file is not None and file is not sys.stdout \
            and file is not sys.stderr and not (rt.files and print_later(rt, args, kwargs)) or _program_stream(sys.stdout if file is None else file):
        # a file, or the program's own stream object standing in for stdout (a tee that
        # counts lines): its ``write`` runs in program order, as the program may look at
        # what it did right after (p425)
        rt.in_program_order("print to a file runs in program order")
        return _B.print(*(fill_in_place(a) for a in args), **kwargs)
    sep = kwargs.get("sep", " ")
    end = kwargs.get("end", "\n")
    if type(sep) is Pending:
        sep = sep._force()
    if type(end) is Pending:
        end = end._force()
    if not (sep is None or type(sep) is str) or not (end is None or type(end) is str):
        # plain Python refuses them at the call, before writing anything: so does this,
        # with print's own message, instead of when the queued print's turn comes
        _B.print(sep=sep, end=end, file=_Discard())
    rt.print(args, sep, end, file, bool(kwargs.get("flush", False)))
    return None


class _Discard:
    """A file that keeps nothing: :func:`_print` checks ``sep`` and ``end`` by printing
    nothing to it."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def _on_stream(rt: Runtime, base: Pending, name: str, args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> Any:
    """A ``str`` method applied to text that is still streaming, when its result can follow
    the prefix: ``strip`` and ``splitlines``/``split`` give values whose known part grows as
    the text arrives, ``startswith`` is decided as soon as enough text is there."""
    if kwargs or any(type(a) is Pending for a in args):
        return None
    view = base._stream
    if name in ("strip", "lstrip", "rstrip") and not args:
        result = rt.derive_call(lambda text: getattr(text, name)(), (base,), {}, f".{name}()",
                                str)
        object.__setattr__(result, "_stream", StrippedView(view, name))
        return result
    if name == "splitlines" and not args or name == "split" and (
            not args or len(args) == 1 and (args[0] is None or type(args[0]) is str and args[0])):
        sep = args[0] if args else None
        result = rt.derive_call(lambda text: getattr(text, name)(*args), (base,), {},
                                f".{name}()", list)
        object.__setattr__(result, "_stream", ItemsView(view, name, sep))
        return result
    if name == "startswith" and len(args) == 1 and type(args[0]) is str:
        return _startswith_early(rt, base, args[0])
    return None


def _startswith_early(rt: Runtime, base: Pending, prefix: str) -> Pending:
    result = rt.new_pending(".startswith()", base._calls)
    view = base._stream
    decided = threading.Event()

    def decide(_piece: str = "") -> None:
        if decided.is_set():
            return
        text, finished = view.current()
        if view.root.failed:
            decided.set()  # the finished value decides (or its failure does)
            rt._when_ready([base], lambda: _startswith_of_value(rt, result, base, prefix))
            return
        if len(text) >= len(prefix) or not prefix.startswith(text) or finished:
            decided.set()
            view.root.consumed = True
            rt._finish(result, DONE, text.startswith(prefix), None)

    decide()
    if not decided.is_set() and not view.root.listen(decide):
        decide()
    return result


def _startswith_of_value(rt: Runtime, result: Pending, base: Pending, prefix: str) -> None:
    if base._state == FAILED:
        rt._adopt(result, base)
        return
    try:
        value = base._value.startswith(prefix)
    except Exception as exc:  # noqa: BLE001 - not text after all (no content): as plain Python
        rt._finish(result, FAILED, exc, result._seq)
        return
    rt._finish(result, DONE, value, None)


def _call_pending(rt: Runtime, f: Pending, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Calling something that is itself pending, most often a method of a pending value."""
    if f._state == DONE:
        return call(f._value, *args, **kwargs)
    base, name = _attribute_source(f)
    if base is not None and name is not None and base._stream is not None \
            and base._state == PENDING:
        streamed = _on_stream(rt, base, name, args, kwargs)
        if streamed is not None:
            return streamed
    if base is not None and name is not None:
        known = base._type
        if known is not None and (issubclass(known, _PURE_METHOD_TYPES)
                                  or known in _DATETIME_TYPES):
            method = getattr(known, name, None)
            if method is not None and _taken_as_now(args, kwargs):
                def apply(receiver: Any, *a: Any, **k: Any) -> Any:
                    return getattr(receiver, name)(*a, **k)

                result_type = _result_type(getattr("", name, None)) if known is str else None
                args, kwargs = snapshot((args, kwargs))
                return rt.derive_call(apply, (base, *args), kwargs, f".{name}()", result_type)
        if known in _READ_METHODS and name in _READ_METHODS[known]:
            return _read_later(rt, base, known, name, args, kwargs)
        if known is None and rt.explain and f._state == PENDING:
            # --explain says why, and what would keep such a call lazy
            rt.wait_for(f, f"calling .{name}() on it: its class is not known before it "
                              "exists (a return annotation on the external, like -> str, "
                              "keeps such calls lazy)")
    callee = f._force()
    return call(callee, *args, **kwargs)


def _taken_as_now(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether a method applied later to a pending receiver can be handed its arguments as
    they are now: plain data (copied then, ``snapshot``), pending values, library values that
    do not change. The method reads them when the receiver exists, so a list the program
    changes meanwhile (``sep.join(words)``, then ``words.append(w)``: p603) must be a copy,
    and an object of the program's (a ``format`` that calls its ``__format__``, a ``tzinfo``)
    would run its code then, out of program order: the call is made at once instead."""
    from opportune.runtime.spawn import _safe

    return all(_safe(a, True) for a in args) and all(_safe(v, True) for v in kwargs.values())


def _read_later(rt: Runtime, base: Pending, known: type, name: str, args: tuple[Any, ...],
                kwargs: dict[str, Any]) -> Any:
    """``d.get(k)``, ``xs.index(v)`` on a pending ``dict``/``list`` of known class: a derived
    value, computed once the container exists, instead of a wait.

    Why this reads what plain Python would have read at the call: nothing can change the
    container between the call and the moment the method runs (as soon as the container
    exists, on the thread that finishes it).

    * The program only gets the container by forcing a pending value that resolves to it, so
      it can change it only after it exists. Every change it makes through a hook (a mutating
      method through the call site, ``d[k] = v``, ``d.x = v``, ``+=`` on a pending value, a
      LOCAL library call) first asks ``ConcurrentReaders.before_change``, and this read is
      registered there as a reader of ``base`` until it has run, so such a change waits for it.
    * A writing external issued later waits for every live value before it, this one included.
      Externals with no ``writes=`` get copies of their arguments; concurrent blocks cannot
      change objects they did not create.
    * The arguments are snapshotted now (``derive_call``), so the key is the one of the call.

    Changes the readers table cannot see (runtime/readers.py names them: a mutating method the
    compiled call site makes directly on a real container reached through another name) are
    not covered; they need an alias of a pending external result held as a real object.

    Dispatch stays dynamic: the method is looked up on the real value when it exists, so a
    subclass's own method runs; it then runs when the value arrives (on the thread finishing
    it), which is right only if that method, like the built-in one, has no effect. A result
    that is not a ``dict``/``list`` (the annotation was wrong) fails or succeeds exactly as the
    same call would in plain Python, as the failure of this value.
    """
    def apply(receiver: Any, *a: Any, **k: Any) -> Any:
        return getattr(receiver, name)(*a, **k)

    result_type = int if name in ("index", "count") else known if name == "copy" else None
    result = rt.derive_call(apply, (base, *args), kwargs, f".{name}()", result_type)
    if type(result) is Pending and result._state == PENDING and not result._speculative:
        rt.readers.add_value_reader(result, base)
    return result


def _attribute_source(f: Pending) -> tuple[Pending | None, str | None]:
    src = f._src
    return (src[0], src[1]) if src is not None else (None, None)


def percent(left: Any, right: Any) -> Any:
    """``left % right`` where the ``%`` formats text (compiler/transform.py, visit_BinOp): with a
    pending value in ``right`` (or ``right`` itself pending: a tool that returns a tuple), the
    text is made once they exist, from their values, as plain Python makes it. Also reached
    by arithmetic ``i % n`` (no side written as a number): atoms go straight to ``%``."""
    t = type(right)
    if t in ATOM_TYPES:
        return left % right
    if t is tuple:
        for v in right:
            if type(v) not in ATOM_TYPES:
                break
        else:
            return left % right  # the common case: atoms only (a pending ``left`` derives)
    if t is not Pending and (t not in PLAIN_CONTAINERS or not _holds_pending(right)) \
            and type(left) is not Pending:
        return left % right
    rt: Runtime | None = getattr(_local, "runtime", None)
    if rt is None:
        return fill(left) % fill(right)
    return rt.derive_call(_percent, (left, right), {}, "%",
                          str if type(left) is str else None)


def _percent(left: Any, right: Any) -> Any:
    return left % right


def _holds_pending(value: Any) -> bool:
    for v in (value.values() if type(value) is dict else value):
        if type(v) is Pending or type(v) in PLAIN_CONTAINERS and _holds_pending(v):
            return True
    return False


def fstring(*parts: Any) -> Any:
    """An f-string whose values may be pending: the text is built once they exist."""
    pending = False
    for part in parts:
        if type(part) is str:
            continue
        if type(part[0]) is Pending or type(part[2]) is Pending:
            pending = True
            break
    if not pending:
        return _render(*parts)
    rt: Runtime | None = getattr(_local, "runtime", None)
    if rt is None:
        return _render(*(
            p if type(p) is str else (fill(p[0]), p[1], fill(p[2])) for p in parts
        ))
    result = rt.derive_call(_render, parts, {}, "f-string", str)
    streamed = _streamed_part(parts)
    if streamed is not None:
        index = streamed
        view = ConcatView(_render(*parts[:index]), parts[index][0]._stream,
                          _render(*parts[index + 1:]))
        object.__setattr__(result, "_stream", view)
    return result


def _streamed_part(parts: tuple[Any, ...]) -> int | None:
    """The index of the one streaming value an f-string inserts as it is, if that is all that
    is still pending in it."""
    found = None
    for i, part in enumerate(parts):
        if type(part) is str:
            continue
        value, conversion, spec = part
        if type(spec) is Pending:
            return None
        if type(value) is Pending:
            if found is not None or value._stream is None or value._state != PENDING \
                    or conversion not in (None, -1, "s") or spec:
                return None
            found = i
    return found


def _render(*parts: Any) -> str:
    out: list[str] = []
    for part in parts:
        if type(part) is str:
            out.append(part)
            continue
        value, conversion, spec = part
        if conversion is None and not spec and type(value) is str:
            out.append(value)
            continue
        if conversion == "r":
            value = repr(value)
        elif conversion == "s":
            value = str(value)
        elif conversion == "a":
            value = ascii(value)
        out.append(format(value, spec or ""))
    return "".join(out)


def external_spec(f: Any) -> ExternalSpec | None:
    spec = getattr(f, SPEC_ATTRIBUTE, None)
    return spec if isinstance(spec, ExternalSpec) else None
