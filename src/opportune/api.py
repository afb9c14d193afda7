"""Running code under opportune from ordinary Python: run(), parallel, run_source(), run_path()."""

from __future__ import annotations

import functools
import os
import sys
import types
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from opportune.compiler.functions import (
    add_user_root,
    compiled_version,
    list_as_written,
    note_as_written,
)
from opportune.compiler.modules import (
    compile_staged,
    exec_in,
    install_import_hook,
    prepare_script,
    remove_import_hook,
)
from opportune.runtime import context, hooks
from opportune.runtime.scheduler import EscapingFailure, Runtime
from opportune.runtime.snapshot import fill, fill_in_place
from opportune.runtime.trace import Schedule
from opportune.runtime.values import Pending

P = ParamSpec("P")
R = TypeVar("R")

_last_schedule: Schedule | None = None


def last_schedule() -> Schedule:
    """The recorded schedule of the most recent run in this process."""
    if _last_schedule is None:
        raise RuntimeError(
            "no program has run under opportune yet; call opportune.run(...) first"
        )
    return _last_schedule


def _install_known_externals_once() -> None:
    """Known library methods (the openai SDK's ``create``...) become externals on the first run
    and stay so: without a run they behave exactly as before, and wrapping them again for every
    run would cost tens of milliseconds each time. Installing is idempotent, so this is cheap
    when they are already installed and reinstalls them if someone undid it in between."""
    try:
        from opportune.integrations import install_known_externals
    except ImportError:
        return
    install_known_externals()


class _Session:
    """One run: installs hooks and known externals, drives the runtime, always cleans up."""

    def __init__(self, *, explain: bool = False) -> None:
        hooks.install()
        self.rt = Runtime(explain=explain)

    def __enter__(self) -> Runtime:
        _install_known_externals_once()
        # Every call of the program's own functions passes through one dispatch frame, so the
        # same recursion depth needs twice the frames it needs under plain Python.
        # The program still sees (and sets) the limit it would see under plain Python.
        self._recursion_limit = sys.getrecursionlimit()
        self._recursion_api = (sys.getrecursionlimit, sys.setrecursionlimit)
        real_get, real_set = self._recursion_api
        real_set(self._recursion_limit * 2 + 50)

        def getrecursionlimit() -> int:
            return (real_get() - 50) // 2

        def setrecursionlimit(limit: int) -> None:
            real_set(limit * 2 + 50)

        sys.getrecursionlimit = getrecursionlimit  # type: ignore[assignment]
        sys.setrecursionlimit = setrecursionlimit  # type: ignore[assignment]
        self.rt.start()
        return self.rt

    def __exit__(self, *exc: Any) -> None:
        global _last_schedule
        try:
            self.rt.close()
            list_as_written(self.rt)
            _attach_usage(self.rt)
        finally:
            sys.getrecursionlimit, sys.setrecursionlimit = self._recursion_api
            sys.setrecursionlimit(self._recursion_limit)
            _last_schedule = self.rt.schedule


def _attach_usage(rt: Runtime) -> None:
    """Token usage of the run's LLM calls (made through ``opportune.llm``) into the trace."""
    llm = sys.modules.get("opportune.llm")
    if llm is None:
        return  # no LLM call can have been made through it
    usage = llm.usage_by_call(rt.program_id)
    for record in rt.schedule.calls:
        record.usage = usage.get(record.call_id)


def _meet_earlier_failure(rt: Runtime, own: BaseException) -> None:
    """The program raised ``own`` at its top level: raise an earlier call's failure instead,
    as plain Python would have, or let ``own`` stand once the output before it is written.

    Any exception counts, not only ``Exception``: a ``BaseException`` of the program's own
    (a cancellation, ``GeneratorExit``) also ends the program only after the calls before it
    succeeded, and the output they held back is written first (p421). That holds for a
    Ctrl-C too: plain Python had written the output of every print before it; a second Ctrl-C
    stops the wait. And for ``SystemExit`` (``sys.exit(3)``, ``raise SystemExit``): the
    program exits only if every call before the exit succeeded, otherwise the first failure
    is reported instead, as Python reports it (p536-p538)."""
    exiting = isinstance(own, SystemExit)
    earlier = rt.failure_before_own_error(
        "the program exited: an earlier call may have failed first" if exiting else None)
    if earlier is not None and earlier is not own:
        raise earlier from None


def _resolved(value: Any) -> Any:
    if type(value) is Pending:
        value = value._force()
    return fill(value)


def run(fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn(*args, **kwargs)`` with its external calls overlapped; return its result.

    Called while a program already runs under opportune, it is an ordinary call.
    """
    if context.active_runtime() is not None:
        return fn(*args, **kwargs)
    # a function made by :func:`parallel` runs the function it wraps, not its wrapper, which
    # lives in this module and would be taken for the program's own code
    fn = getattr(fn, _PARALLEL, fn)
    target: Any = fn
    if isinstance(fn, types.FunctionType):
        add_user_root(os.path.dirname(os.path.realpath(fn.__code__.co_filename)))
        target = compiled_version(fn) or fn
    session = _Session()
    with session as rt:
        try:
            result = target(*args, **kwargs)
            rt.finish()
            return _resolved(result)  # type: ignore[no-any-return]
        except EscapingFailure as escaping:
            raise escaping.error from None
        except BaseException as own:
            _meet_earlier_failure(rt, own)
            raise


def parallel(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator: every call of ``fn`` runs like :func:`run` (plain Python ignores nothing)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return run(fn, *args, **kwargs)

    setattr(wrapper, _PARALLEL, fn)
    return wrapper


_PARALLEL = "__opportune_parallel__"  # on a parallel wrapper: the function it runs


def _run_module(code: types.CodeType, namespace: dict[str, Any], stages: Any,
                explain: bool) -> None:
    """Run module-level ``code`` in ``namespace`` in a session of its own: what
    :func:`run_source` and :func:`run_path` share. However the code ends (returning, an error
    of its own, ``sys.exit``), it ends where plain Python's would have: after every call
    before that point, whose output is written first and whose failure is raised instead.
    The names the code bound then hold their values, not pending ones (a caller that catches
    the error or the ``SystemExit`` reads the namespace as plain Python left it). After an
    earlier call's failure, raised instead, the names bound after that call are there too, and
    the failed call's name holds its pending value (see docs/design.md, *Known limits*)."""
    import threading

    from opportune.runtime.tracebacks import thread_excepthook

    reports_threads = threading.excepthook is threading.__excepthook__  # type: ignore[attr-defined]
    if reports_threads:
        threading.excepthook = thread_excepthook
    try:
        with _Session(explain=explain) as rt:
            rt.idle_work = stages
            note_as_written(rt, code)
            try:
                exec_in(code, namespace)
                rt.finish()
            except EscapingFailure as escaping:
                raise escaping.error from None
            except BaseException as own:
                try:
                    _meet_earlier_failure(rt, own)
                finally:
                    _resolve_namespace(namespace, strict=False)
                raise
            _resolve_namespace(namespace, strict=True)
    finally:
        if reports_threads and threading.excepthook is thread_excepthook:
            threading.excepthook = threading.__excepthook__  # type: ignore[attr-defined]


def _resolve_namespace(namespace: dict[str, Any], strict: bool) -> None:
    """Replace the pending values the namespace holds by their values (filled in place inside
    the program's containers); drop a name a branch may have bound when the taken arm did
    not. Not ``strict`` (the code ended by an exception, which is raised next): a value that
    cannot be had is left as it is rather than raised over that exception."""
    for key, value in list(namespace.items()):
        try:
            if _left_unbound(value):
                del namespace[key]  # the branch taken never bound it: neither would Python
            elif type(value) is Pending or type(value) in (list, dict, tuple, set):
                namespace[key] = fill_in_place(value)
        except Exception:
            if strict:
                raise


def run_source(
    source: str, globals: dict[str, Any] | None = None, *, filename: str = "<program>",
    explain: bool = False,
) -> dict[str, Any]:
    """Run module-level ``source`` under opportune in ``globals``; return that namespace.

    Every pending value left in the namespace is resolved before this returns, and exceptions
    propagate as plain Python would raise them: as ``exec(source, globals)`` would, an error
    of the program's own or its ``SystemExit`` reaches the caller, after the output of the
    calls before it, or the first of those calls' failures does instead.
    """
    namespace: dict[str, Any] = {} if globals is None else globals
    namespace.setdefault("__name__", "__main__")
    namespace.setdefault("__builtins__", __builtins__)
    # code an LLM writes is new each time: compiled in stages, so that compiling the rest
    # overlaps the first calls (compiler/stages.py)
    code, stages = compile_staged(source, filename)
    try:
        _run_module(code, namespace, stages, explain)
    finally:
        if stages is not None:
            stages.close()
    return namespace


def _left_unbound(value: Any) -> bool:
    """Whether ``value`` stands for a name a branch may bind, and the taken arm did not."""
    if type(value) is not Pending:
        return False  # first: every name of the namespace comes here, and imports cost
    from opportune.runtime.branching import MAYBE_UNBOUND
    from opportune.runtime.values import FAILED, PENDING

    if value._label != MAYBE_UNBOUND:
        return False
    if value._state == PENDING:
        value._rt.wait_for(value, "the program ended: is this name bound?")
    return value._state == FAILED and value._speculative and isinstance(value._value, NameError)


def run_path(path: str, argv: list[str] | None = None, *, explain: bool = False) -> None:
    """Run a script file as ``python path argv...`` would, under opportune. Its
    ``SystemExit`` (and any other exception it ends by) propagates as from
    :func:`run_source`; ``opportune run`` turns it into the exit status Python gives."""
    code, module, stages = prepare_script(path)
    saved_argv, saved_main, saved_path0 = sys.argv, sys.modules.get("__main__"), sys.path[0]
    sys.argv = [path, *(argv or [])]
    sys.path[0] = os.path.dirname(os.path.abspath(path))
    sys.modules["__main__"] = module
    install_import_hook()
    try:
        _run_module(code, module.__dict__, stages, explain)
    finally:
        if stages is not None:
            stages.close()
        remove_import_hook()
        sys.argv = saved_argv
        sys.path[0] = saved_path0
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
