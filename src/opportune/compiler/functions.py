"""Compiling the program's own functions one at a time, when they are first called.

``opportune run`` compiles whole modules up front. A function reached another way (the target of
:func:`opportune.run`, a method of a class from a module imported before the run) is compiled on
its first call: its source is transformed, compiled inside a factory whose parameters are the
function's free variables, and rebuilt around the original closure cells, globals and defaults,
so it shares all state with the original. A function whose source cannot be had (built in a
string, say) keeps running as it is and is named by ``--explain``.
"""

from __future__ import annotations
import __future__

import ast
import inspect
import os
import sys
import textwrap
import types
import weakref
from typing import TYPE_CHECKING, Any

from opportune.compiler.registry import (
    is_compiled_function,
    name_arms_as_their_function,
    register_code,
)
from opportune.compiler.transform import transform

if TYPE_CHECKING:
    from opportune.runtime.scheduler import Runtime

_cache: dict[int, types.FunctionType | None] = {}
_why_not: dict[int, str] = {}  # code id -> why it cannot be compiled (``_cache`` holds None)
_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag
_user_roots: list[str] = []
_library_markers = (f"{os.sep}site-packages{os.sep}", f"{os.sep}dist-packages{os.sep}")


def add_user_root(path: str) -> None:
    """Code under ``path`` is the program's own and is compiled; the rest is opaque."""
    root = os.path.realpath(path)
    if root not in _user_roots:
        _user_roots.append(root)
        _user_files.clear()


def _stdlib_prefixes() -> tuple[str, ...]:
    import sysconfig

    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    return tuple(os.path.realpath(p) + os.sep for p in paths)


_STDLIB = _stdlib_prefixes()
_OWN = os.path.realpath(os.path.dirname(os.path.dirname(__file__))) + os.sep


# filename -> is_user_file(filename): dispatch asks at every call of a class or a library
# function, and os.path.realpath costs tens of microseconds. Cleared when a root is added.
_user_files: dict[str, bool] = {}


def is_user_file(filename: str | None) -> bool:
    if not filename or filename.startswith("<"):
        return False
    known = _user_files.get(filename)
    if known is None:
        known = _user_files[filename] = _is_user_file(filename)
    return known


def _is_user_file(filename: str) -> bool:
    real = os.path.realpath(filename)
    if real.startswith(_OWN) or real.startswith(_STDLIB):
        return False
    if any(m in real for m in _library_markers):
        return False
    return any(real == r or real.startswith(r + os.sep) for r in _user_roots)


# The modules compiled for opportune (the program's own), kept here rather than marked by an
# attribute, which the program would see in its ``globals()`` and ``vars(module)``
# (compiler/modules.py adds them).
COMPILED_MODULES: weakref.WeakSet[types.ModuleType] = weakref.WeakSet()


def is_user_module(module: str | None, rt: Runtime | None = None) -> bool:
    if not module:
        return False
    mod = sys.modules.get(module)
    if mod is None:
        return False
    return is_user_file(getattr(mod, "__file__", None)) or mod in COMPILED_MODULES


def is_user_function(fn: types.FunctionType, rt: Runtime | None = None) -> bool:
    return is_user_file(fn.__code__.co_filename)


def _fallback(rt: Runtime | None, fn: Any, why: str) -> None:
    if rt is not None:
        _note(rt, fn.__code__, fn.__qualname__, why)


def _note(rt: Runtime, code: types.CodeType, name: str, why: str) -> None:
    """List ``code`` (``name``, for ``--explain``) as run uncompiled, once per run."""
    line = f"{code.co_filename}:{code.co_firstlineno}: {name} runs uncompiled: {why}"
    if line not in rt.schedule.fallbacks:
        rt.schedule.fallbacks.append(line)


ASYNC_AS_WRITTEN = ("async functions keep their own concurrency (asyncio's): the body runs "
                    "as written")
_ASYNC_FLAGS = inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


def note_as_written(rt: Runtime | None, code: types.CodeType) -> None:
    """List the ``async def`` functions of compiled module ``code`` as run uncompiled: the
    rewrite leaves their bodies as written (compiler/transform.py), so calling one is a plain
    call of a coroutine function, and the calls of its body are not overlapped by opportune.
    ``--explain`` names each with its file and line; a code object nested in one is part of
    it and not listed again."""
    if rt is None:
        return
    found = _as_written.setdefault(rt, [])
    stack = [code]
    while stack:
        c = stack.pop()
        for k in c.co_consts:
            if isinstance(k, types.CodeType):
                if k.co_flags & _ASYNC_FLAGS:
                    found.append(k)
                else:
                    stack.append(k)


def list_as_written(rt: Runtime) -> None:
    """At the end of a run: list the ``async def`` functions :func:`note_as_written` found,
    but for those the program made externals (``@opportune.external async def``), which run
    as externals. Not known before the module has run its decorators."""
    from opportune.runtime.externals import TARGET_CODES

    for code in sorted(_as_written.pop(rt, ()), key=lambda c: (c.co_filename, c.co_firstlineno)):
        if code not in TARGET_CODES:
            _note(rt, code, code.co_qualname, ASYNC_AS_WRITTEN)


# runtime -> the async code of the modules it compiled, listed at its end (list_as_written)
_as_written: weakref.WeakKeyDictionary[Any, list[types.CodeType]] = weakref.WeakKeyDictionary()


def note_built_from_string(rt: Runtime, fn: types.FunctionType) -> None:
    """``fn`` belongs to the program's module but was built from a string (``exec``,
    ``eval``): its source cannot be read, so it runs uncompiled, as library code with effects
    (a sync point). Generated special methods (a dataclass's ``__init__``) are not the
    program's code as written and are not listed."""
    name = fn.__name__
    if name.startswith("__") and name.endswith("__"):
        return
    _note(rt, fn.__code__, fn.__qualname__,
          "it was built from a string (exec, eval), whose source cannot be read; called at "
          f"{rt._location()}")


def compiled_version(fn: types.FunctionType, rt: Runtime | None = None) -> types.FunctionType | None:
    """The compiled twin of ``fn``, or None if it has to run as it is."""
    if is_compiled_function(fn):
        return fn
    key = id(fn.__code__)
    if key in _cache:
        cached = _cache[key]
        if cached is None:
            _fallback(rt, fn, _why_not[key])  # once per run: an earlier run listed it for itself
            return None
        return _rebind(cached.__code__, fn)
    try:
        code = _compile_function_code(fn)
    except _CannotCompile as why:
        _cache[key] = None
        _why_not[key] = str(why)
        _fallback(rt, fn, str(why))
        return None
    new = _rebind(code, fn)
    _cache[key] = new
    return new


class _CannotCompile(Exception):
    pass


def _compile_function_code(fn: types.FunctionType) -> types.CodeType:
    if inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn):
        raise _CannotCompile(ASYNC_AS_WRITTEN)
    try:
        # the code's own source: getsourcelines(fn) follows ``__wrapped__``, and a
        # ``functools.wraps`` wrapper would be compiled as the function it wraps
        lines, _ = inspect.getsourcelines(fn.__code__)
    except (OSError, TypeError) as exc:
        raise _CannotCompile(f"its source is not available ({exc})") from None
    source = textwrap.dedent("".join(lines))
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise _CannotCompile(f"its source does not parse on its own ({exc.msg})") from None
    if not tree.body or not isinstance(tree.body[0], (ast.FunctionDef,)):
        raise _CannotCompile("it is a lambda or not a plain def")
    fdef = tree.body[0]
    if fdef.name != fn.__name__:
        raise _CannotCompile("its source does not match its name")
    fdef.decorator_list = []
    freevars = list(fn.__code__.co_freevars)
    factory = ast.FunctionDef(
        name="__opportune_factory__",
        args=ast.arguments(
            posonlyargs=[], args=[ast.arg(v) for v in freevars], vararg=None, kwonlyargs=[],
            kw_defaults=[], kwarg=None, defaults=[],
        ),
        body=[
            *[ast.Expr(ast.Name(v, ast.Load())) for v in freevars],
            fdef,
            ast.Return(ast.Name(fdef.name, ast.Load())),
        ],
        decorator_list=[],
        returns=None,
        type_params=[],
    )
    for node in factory.body:
        if node is not fdef:
            ast.copy_location(node, fdef)
            for child in ast.walk(node):
                ast.copy_location(child, fdef)
    ast.copy_location(factory, fdef)
    factory.end_lineno = fdef.end_lineno
    module = ast.Module(body=[factory], type_ignores=[])
    ast.increment_lineno(module, fn.__code__.co_firstlineno - 1)
    # the names that hold modules now: an ``except json.JSONDecodeError`` may be read ahead
    modules = frozenset(k for k, v in fn.__globals__.items() if isinstance(v, types.ModuleType))
    transform(module, explicit_super="__class__" in freevars, filename=fn.__code__.co_filename,
              module_imports=modules)
    # The function's own future features (``annotations``...), not this module's.
    code = compile(module, fn.__code__.co_filename, "exec",
                   flags=fn.__code__.co_flags & _FUTURE_FLAGS, dont_inherit=True)
    factory_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    fn_code = next(
        c for c in factory_code.co_consts
        if isinstance(c, types.CodeType) and c.co_name == fn.__name__
    )
    if set(fn_code.co_freevars) - set(freevars):
        raise _CannotCompile("it refers to enclosing names that the original does not")
    fn_code = name_arms_as_their_function(fn_code.replace(co_qualname=fn.__code__.co_qualname))
    register_code(fn_code)
    return fn_code


def _rebind(code: types.CodeType, fn: types.FunctionType) -> types.FunctionType:
    cells = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
    closure = tuple(cells[name] for name in code.co_freevars) or None
    new = types.FunctionType(code, fn.__globals__, fn.__name__, fn.__defaults__, closure)
    new.__kwdefaults__ = fn.__kwdefaults__
    new.__dict__.update(fn.__dict__)
    new.__qualname__ = fn.__qualname__
    new.__module__ = fn.__module__
    new.__doc__ = fn.__doc__
    new.__annotations__ = fn.__annotations__
    return new


_classes_done: set[int] = set()


def compile_class_in_place(cls: type, rt: Runtime | None = None) -> None:
    """Swap the program's own methods of ``cls`` (and its bases) for compiled twins, once.

    Methods are called implicitly by the interpreter (constructors, operators, properties), so
    the class itself must hold the compiled versions. Compiled code behaves exactly like the
    original when no runtime drives the thread, so the swap is safe to keep.
    """
    for klass in cls.__mro__:
        if id(klass) in _classes_done or klass is object:
            continue
        _classes_done.add(id(klass))
        if not is_user_module(getattr(klass, "__module__", None)):
            continue
        for name, value in list(vars(klass).items()):
            target = value
            wrap: Any = None
            if isinstance(value, staticmethod):
                target, wrap = value.__func__, staticmethod
            elif isinstance(value, classmethod):
                target, wrap = value.__func__, classmethod
            elif isinstance(value, property):
                continue
            if type(target) is not types.FunctionType or is_compiled_function(target):
                continue
            if getattr(target, "__opportune_external__", None) is not None:
                continue
            if not is_user_function(target):
                continue
            compiled = compiled_version(target, rt)
            if compiled is None:
                continue
            try:
                setattr(klass, name, wrap(compiled) if wrap else compiled)
            except (AttributeError, TypeError):
                continue
