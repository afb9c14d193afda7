"""Installing the known externals: wrap each listed function in place, and undo it exactly.

Libraries a program has already imported are patched at once. The others are patched the moment
they are imported, through a finder on ``sys.meta_path``, so installing costs nothing for the
libraries a program never uses (importing the ``openai`` SDK alone takes a good part of a
second). Each wrapper is made by ``opportune.external`` itself: with no runtime active it calls
the original, so a program under plain Python cannot tell the difference.
"""

from __future__ import annotations

import functools
import importlib
import importlib.machinery
import importlib.util
import inspect
import sys
import threading
from collections.abc import Callable, Sequence
from types import MappingProxyType, ModuleType
from typing import Any

from opportune.integrations._table import SPEC_OPTIONS, KnownExternal, default_table
from opportune.runtime.externals import external, make_spec, spec_of

_MISSING = object()


def _check_options() -> None:
    """A stand-in function for validating spec options before the real target is imported."""


class _Patch:
    """One applied patch: where it went and what was there before."""

    __slots__ = ("attribute", "original", "owner", "wrapper")

    def __init__(self, owner: Any, attribute: str, original: Any, wrapper: Any) -> None:
        self.owner = owner
        self.attribute = attribute
        self.original = original  # _MISSING when the attribute was inherited, not owned
        self.wrapper = wrapper

    def undo(self) -> None:
        current = (self.owner.__dict__.get(self.attribute, _MISSING)
                   if isinstance(self.owner, type) else getattr(self.owner, self.attribute,
                                                                _MISSING))
        if current is not self.wrapper:
            return  # someone replaced it after us; leave their version alone
        if self.original is _MISSING:
            delattr(self.owner, self.attribute)
        else:
            setattr(self.owner, self.attribute, self.original)


_lock = threading.RLock()
_table: dict[str, KnownExternal] = {entry.key: entry for entry in default_table()}
_patches: dict[str, _Patch] = {}
_installed = False
_finder: _PatchOnImport | None = None
_uninstaller: Callable[[], None] | None = None


def _as_declared(fn: Any) -> Any:
    """``fn``, made visibly ``async def`` when a sync decorator hides a coroutine function.

    SDKs wrap their async methods in argument-checking decorators that are plain functions;
    ``@external`` must see such a method as async so that it is awaited, not called.
    """
    if inspect.iscoroutinefunction(fn) or not inspect.iscoroutinefunction(inspect.unwrap(fn)):
        return fn

    @functools.wraps(fn)
    async def coroutine(*args: Any, **kwargs: Any) -> Any:
        return await fn(*args, **kwargs)

    return coroutine


def _wrap(raw: Any, entry: KnownExternal) -> Any:
    decorate = external(**dict(entry.options))
    if isinstance(raw, staticmethod):
        return staticmethod(decorate(_as_declared(raw.__func__)))
    if isinstance(raw, classmethod):
        return classmethod(decorate(_as_declared(raw.__func__)))
    return decorate(_as_declared(raw))


def _apply(entry: KnownExternal, module: ModuleType) -> None:
    if entry.key in _patches:
        return
    *path, attribute = entry.qualname.split(".")
    owner: Any = module
    for part in path:
        owner = getattr(owner, part, None)
        if owner is None:
            return  # this version of the library does not have it
    if isinstance(owner, type):
        original = owner.__dict__.get(attribute, _MISSING)
        raw = original if original is not _MISSING else getattr(owner, attribute, None)
    else:
        raw = original = getattr(owner, attribute, None)
    if raw is None or raw is _MISSING:
        return
    target = raw.__func__ if isinstance(raw, staticmethod | classmethod) else raw
    if not callable(target) or spec_of(target) is not None:
        return  # not a function, or already external (decorated by its author or by the user)
    wrapper = _wrap(raw, entry)
    setattr(owner, attribute, wrapper)
    _patches[entry.key] = _Patch(owner, attribute, original, wrapper)


def _apply_loaded(module_name: str) -> None:
    module = sys.modules.get(module_name)
    if module is None:
        return
    with _lock:
        if not _installed:
            return
        for entry in list(_table.values()):
            if entry.module == module_name:
                _apply(entry, module)


class _PatchOnImport:
    """Patches a listed module's entries right after the module has been executed.

    A meta path finder needs only ``find_spec``; subclassing ``importlib.abc.MetaPathFinder``
    would import ``importlib.resources`` and ``tempfile`` into every ``opportune run``.
    """

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        with _lock:
            watched = _installed and any(e.module == fullname and e.key not in _patches
                                         for e in _table.values())
        if not watched:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            _apply_loaded(fullname)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _uninstall() -> None:
    global _installed, _finder, _uninstaller
    with _lock:
        if _finder is not None and _finder in sys.meta_path:
            sys.meta_path.remove(_finder)
        for patch in reversed(list(_patches.values())):
            patch.undo()
        _patches.clear()
        _installed = False
        _finder = None
        _uninstaller = None


def install_known_externals() -> Callable[[], None]:
    """Make every known library function external; returns a function that undoes it.

    Calling it again while installed changes nothing and returns the same undo function.
    """
    global _installed, _finder, _uninstaller
    with _lock:
        if _installed and _uninstaller is not None:
            return _uninstaller
        _installed = True
        _finder = _PatchOnImport()
        sys.meta_path.insert(0, _finder)
        _uninstaller = _uninstall
        for name in {entry.module for entry in _table.values()}:
            _apply_loaded(name)
        return _uninstaller


def register_known_external(module: str, qualname: str, **spec_options: Any) -> KnownExternal:
    """Add a library function to the known externals (applied now if installed).

    ``spec_options`` are those of ``@opportune.external``: ``reads``, ``writes``,
    ``max_concurrency``, ``mutates``, ``name``, ``stream``, ``stream_path``. For example::

        register_known_external("weather_sdk.client", "Client.forecast", reads="weather")
    """
    unknown = set(spec_options) - SPEC_OPTIONS
    if unknown:
        raise TypeError(
            f"register_known_external() got unknown option(s) {', '.join(sorted(unknown))}; "
            f"it takes the options of @opportune.external: {', '.join(sorted(SPEC_OPTIONS))}"
        )
    if not module or not qualname or not all(p.isidentifier() for p in qualname.split(".")):
        raise ValueError(
            f"register_known_external({module!r}, {qualname!r}): give the module's import name "
            "and the function's qualified name, e.g. ('mylib.client', 'Client.search')"
        )
    options = dict(spec_options)
    options.setdefault("name", f"{module}.{qualname}")
    make_spec(_check_options, **options)  # the decorator's own checks, now rather than at import
    entry = KnownExternal(module, qualname, MappingProxyType(options))
    with _lock:
        previous = _patches.pop(entry.key, None)
        if previous is not None:
            previous.undo()
        _table[entry.key] = entry
    _apply_loaded(module)
    return entry


def known_externals() -> list[KnownExternal]:
    """The current table, built-in entries first."""
    with _lock:
        return list(_table.values())


def installed_patches() -> dict[str, Any]:
    """``module:qualname`` -> the wrapper now in place, for the entries applied so far."""
    with _lock:
        return {key: patch.wrapper for key, patch in _patches.items()}
