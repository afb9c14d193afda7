"""Tracebacks the program formats itself read as plain Python's.

Under opportune a traceback holds frames plain Python never had: opportune's own (the call-site
hooks, the scheduler, the worker that ran an external), and an external's failure is raised
where the program needed the value or left its ``try``, not at the call. A program that prints
``traceback.format_exc()``, logs with ``logging.exception`` or hands the text of an error back
to a model would show all that.

So, while a run is active on the thread that formats, the traceback module's two walks are
rewritten as it reads them (:func:`install`): the frames of a traceback (``TracebackException``,
``extract_tb``, and through them ``print_exc``, ``format_exc``, ``format_exception``,
``logging``) and of a stack (``StackSummary.extract``, so ``extract_stack`` and ``print_stack``)
leave out opportune's own frames, a deferred statement's arm or a later stage of module code
stands for the frame it came from, and where a traceback passes through the frame that ran a
failed external, computed a derived value or ran a function concurrently, the program's frames
from where the failure was raised are replaced by those the program was in when it made that
call (recorded then, :func:`call_site`), followed, for an external, by the decorator's entry
frame that plain Python runs. Nothing happens when an exception is raised or caught: the
formatting pays, and each call, derived value or concurrent function pays for recording its
call site (:func:`call_site`: it reads the frames from the call to the script's module code,
about 0.3 microseconds a frame, and builds nothing while they are those of the last call: about
3 microseconds a call in the per-call overhead probe, whose calls are ten frames deep).

The report of an uncaught exception (``cli/run.py``) is printed by :func:`print_uncaught`, the
same walks; a ``sys.excepthook`` of the program's own gets traceback objects instead
(:func:`program_traceback`), since it may read them without the traceback module.
"""

from __future__ import annotations

import dis
import os
import sys
import traceback
import types
from collections.abc import Iterable, Iterator
from typing import Any

from opportune.compiler.modules import exec_in
from opportune.compiler.registry import is_arm_code
from opportune.compiler.stages import STAGE_CODES
from opportune.runtime import context
from opportune.runtime.externals import ENTRY_CODES

OWN_FILES = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep

# The program frames a call site keeps: enough for any failure that surfaces in a caller
# a few levels up; deeper stacks keep their innermost frames.
_SITE_DEPTH = 64

# the frame that runs a script's module code: what is outside it is not the program's
_LAUNCHER = exec_in.__code__

# The ids of the code that runs a function concurrently on a thread of its own
# (runtime/spawn.py; code that lives as long as the process); such a thread's
# ``context._local.site`` is the call site of the function it runs. Ids, not the code objects:
# a code object's hash is computed from its contents at every lookup.
THREAD_ROOTS: set[int] = set()

Site = tuple[tuple[int, types.CodeType, int], ...]


def is_own_code(code: types.CodeType) -> bool:
    """Whether ``code`` is opportune's own, which plain Python never runs (the decorator's
    entry, which it does run, is not)."""
    return code.co_filename.startswith(OWN_FILES) and code not in ENTRY_CODES


# The last call site: the next one is read against it frame by frame (id, code, last
# instruction) and is the very same tuple while they agree, as for calls made one after another
# from the same place (a loop), so such a call builds nothing. No frame is held from one call to
# the next: a frame held when it returns keeps its local variables alive (their ``__del__``
# would run late); ids, code and offsets are plain values.
_last: Site = ()

# co_filename -> whether it is one of opportune's own files (a string's hash is kept with it,
# so this costs less than comparing its start at every frame)
_own_file: dict[str, bool] = {}


def forget_call_sites() -> None:
    """Let go of the last call site's code objects (a run has ended)."""
    global _last
    _last = ()


def call_site() -> Site:
    """The program's frames at an external call, innermost first: (frame id, code, last
    instruction) each, read by :func:`_with_call_site` if the call fails. What runs a script
    ends it; on a thread that runs a function concurrently, that function's own call site
    (``context._local.site``) follows its frames."""
    global _last
    frame: types.FrameType | None = sys._getframe(2)
    last = _last
    known = len(last)
    k = 0
    kinds, launcher, roots = _own_file, _LAUNCHER, THREAD_ROOTS
    while frame is not None:
        code = frame.f_code
        own = kinds.get(code.co_filename)
        if own is None:
            own = kinds[code.co_filename] = code.co_filename.startswith(OWN_FILES)
        if not own:
            if k == known:
                break
            key, was, lasti = last[k]
            if key != id(frame) or was is not code or lasti != frame.f_lasti:
                break
            k += 1
            if k == _SITE_DEPTH:
                return last
        elif code is launcher:
            return last if k == known else last[:k]
        elif roots and id(code) in roots:
            break
        frame = frame.f_back
    else:
        return last if k == known else last[:k]
    # it differs from the last one from here on
    out = list(last[:k])
    append = out.append
    while frame is not None:
        code = frame.f_code
        own = kinds.get(code.co_filename)
        if own is None:
            own = kinds[code.co_filename] = code.co_filename.startswith(OWN_FILES)
        if not own:
            append((id(frame), code, frame.f_lasti))
            if len(out) == _SITE_DEPTH:
                break
        elif code is launcher:
            break
        elif roots and id(code) in roots:
            # a function run concurrently: the frames it was called from are its call site's
            out.extend(getattr(context._local, "site", ()))
            break
        frame = frame.f_back
    site = _last = tuple(out)
    return site


class _Frame:
    """What the traceback module reads of a frame, for a frame that is gone (a call site's)
    or that this run never had (the decorator's entry)."""

    __slots__ = ("f_code", "f_globals", "f_locals")

    def __init__(self, code: types.CodeType) -> None:
        self.f_code = code
        self.f_globals: dict[str, Any] = {}
        self.f_locals: dict[str, Any] = {}


Entry = tuple[Any, tuple[Any, ...]]

_original_walk = traceback._walk_tb_with_full_positions  # type: ignore[attr-defined]
_original_extract = traceback.StackSummary.extract.__func__  # type: ignore[attr-defined]
_entry: Entry | None = None
# the code of the frames that run a failed external (then the decorator's entry frame is shown
# under the call site) and that compute a value derived from pending ones or run a function
# concurrently (then none is)
_worker_codes: tuple[frozenset[types.CodeType], frozenset[types.CodeType]] | None = None


def _positions(code: types.CodeType, lasti: int) -> tuple[Any, ...]:
    positions = traceback._get_code_position(code, lasti)  # type: ignore[attr-defined]
    if positions[0] is None:
        line = next((ln for start, end, ln in code.co_lines() if start <= lasti < end), None)
        return (line if line is not None else code.co_firstlineno, *positions[1:])
    return tuple(positions)


def _entry_frame() -> Entry | None:
    """The decorator's ``sync_entry`` frame as plain Python shows it for a failing call:
    at its call of the function."""
    global _entry
    if _entry is None:
        code = next((c for c in ENTRY_CODES if c.co_name == "sync_entry"), None)
        if code is None:
            return None
        call = next((i for i in dis.get_instructions(code)
                     if i.opname == "CALL_FUNCTION_EX"), None)
        if call is None:
            return None
        _entry = (_Frame(code), _positions(code, call.offset))
    return _entry


def _workers() -> tuple[frozenset[types.CodeType], frozenset[types.CodeType]]:
    global _worker_codes
    if _worker_codes is None:
        from opportune.runtime import spawn
        from opportune.runtime.scheduler import Runtime

        ready = {c for c in Runtime._derive.__code__.co_consts
                 if isinstance(c, types.CodeType) and c.co_name == "ready"}
        _worker_codes = (frozenset({Runtime._run_sync.__code__}),
                         frozenset({*ready, spawn._run.__code__}))
    return _worker_codes


def _site_of(frame: Any) -> Site | None:
    """The call site of the external a worker frame ran, if the runtime recorded one."""
    local = frame.f_locals
    rt, p = local.get("self", local.get("rt")), local.get("p")
    sites = getattr(rt, "_sites", None)
    seq = getattr(p, "_seq", None)
    return None if sites is None or seq is None else sites.get(seq)


def _program_entries(entries: list[Entry]) -> list[Entry]:
    """The frames plain Python would have had (see the module docstring): the innermost
    worker frame with a call site decides the frames from the call in; the frames before it
    are read the same way (a call made inside a function run concurrently)."""
    calls, derived = _workers()
    for at in range(len(entries) - 1, -1, -1):
        frame = entries[at][0]
        code = frame.f_code
        if code in calls or code in derived:
            site = _site_of(frame)
            if site is not None:
                before = _program_entries(entries[:at])
                return [*_with_call_site(before, site, code in calls), *_shown(entries[at + 1:])]
    return _shown(entries)


def _stands_in(code: types.CodeType, caller: types.CodeType) -> bool:
    """Whether a frame of ``code`` called from one of ``caller`` stands for that frame: a
    deferred statement's arms and a later stage of module code run statements plain Python
    ran in the caller's frame."""
    return code.co_filename == caller.co_filename and (is_arm_code(code) or code in STAGE_CODES)


def program_traceback(tb: types.TracebackType | None) -> types.TracebackType | None:
    """``tb`` as a new chain of the program's frames only (see :func:`_shown`), for a printer
    that reads traceback objects rather than the traceback module (a ``sys.excepthook``)."""
    entries = []
    while tb is not None:
        entries.append((tb.tb_frame, tb))
        tb = tb.tb_next
    kept = None
    for _, frame in reversed(_shown(entries)):
        kept = types.TracebackType(kept, frame.tb_frame, frame.tb_lasti, frame.tb_lineno)
    return kept


def thread_excepthook(args: Any) -> None:
    """``threading.excepthook`` while a run is on, in place of Python's default one: an
    exception that ends a thread the program started is reported by that default hook with
    the program's frames only (an external the thread called ran through opportune's call
    hook, whose frame plain Python never had)."""
    import threading

    value, tb = args.exc_value, args.exc_traceback
    shown = program_traceback(tb)
    # the default hook prints the traceback the exception holds
    if isinstance(value, BaseException) and value.__traceback__ is tb:
        value.__traceback__ = shown
    try:
        threading.__excepthook__(threading.ExceptHookArgs(  # type: ignore[attr-defined]
            (args.exc_type, value, shown, args.thread)))
    finally:
        if isinstance(value, BaseException) and value.__traceback__ is shown:
            value.__traceback__ = tb


def _shown(entries: list[Entry]) -> list[Entry]:
    """``entries`` (outermost first) without opportune's frames, each frame that stands for
    its caller's (:func:`_stands_in`) in place of it."""
    out: list[Entry] = []
    for entry in entries:
        code = entry[0].f_code
        if is_own_code(code):
            continue
        if out and _stands_in(code, out[-1][0].f_code):
            out[-1] = entry
        else:
            out.append(entry)
    return out


def _with_call_site(before: list[Entry], site: Site, call: bool) -> Iterator[Entry]:
    """The program's frames down to a failed call, as plain Python had them when the call
    raised: those of the traceback (``before``, already the program's) above the frame that
    made (or called into) the call, then the frames of the call site from that frame in,
    then, for an external (``call``), the decorator's entry frame."""
    program = before
    # the call site's frames, innermost first, an arm's standing for the frame it came from:
    # (the ids of the frames it stands for, code, last instruction)
    frames: list[tuple[set[int], types.CodeType, int]] = []
    outermost: types.CodeType | None = None  # of the frames the last one stands for
    for key, code, lasti in site:
        if outermost is not None and _stands_in(outermost, code):
            frames[-1][0].add(key)
        else:
            frames.append(({key}, code, lasti))
        outermost = code
    for j in range(len(program) - 1, -1, -1):
        key = id(program[j][0])
        i = next((i for i, (keys, _, _) in enumerate(frames) if key in keys), None)
        if i is not None:
            yield from program[:j]
            for _, code, lasti in reversed(frames[:i + 1]):
                yield _Frame(code), _positions(code, lasti)
            break
    else:
        yield from program
        if not program:
            # raised once the program's frames had gone (at the end of a run, a failure
            # plain Python met at the call before the program's own error or exit): the
            # frames are those of the call site, as Python had them when the call raised
            for _, code, lasti in reversed(frames):
                yield _Frame(code), _positions(code, lasti)
    entry = _entry_frame() if call else None
    if entry is not None:
        yield entry


# set while the runner reports an uncaught exception, after the run (see print_uncaught)
_reporting = False


def _active() -> bool:
    return _reporting or context.active_runtime() is not None


def _walk_tb(tb: types.TracebackType | None) -> Iterator[Entry]:
    if not _active():
        yield from _original_walk(tb)
        return
    yield from _program_entries(list(_original_walk(tb)))


def _program_stack(frames: Iterable[tuple[Any, int]]) -> Iterator[tuple[Any, int]]:
    """A stack's frames (innermost first) without opportune's own, a frame that stands for
    its caller's (:func:`_stands_in`) in place of it, ending at the program's outermost: what
    runs a script (``runpy``, opportune's command) is not plain Python's."""
    inner: types.CodeType | None = None
    for f, line in frames:
        code = f.f_code
        if code is _LAUNCHER:
            return
        if not is_own_code(code):
            if inner is None or not _stands_in(inner, code):
                yield f, line
            inner = code


def _extract(klass: Any, frame_gen: Iterable[tuple[Any, int]], **kwargs: Any) -> Any:
    if _active():
        frame_gen = _program_stack(frame_gen)
    return _original_extract(klass, frame_gen, **kwargs)


def install() -> None:
    """Rewrite the traceback module's walks (once per process; they change nothing on a
    thread no run drives)."""
    if traceback._walk_tb_with_full_positions is not _walk_tb:  # type: ignore[attr-defined]
        traceback._walk_tb_with_full_positions = _walk_tb  # type: ignore[attr-defined]
        traceback.StackSummary.extract = classmethod(_extract)  # type: ignore[assignment]


def print_uncaught(exc: BaseException) -> None:
    """Print ``exc`` to ``sys.stderr`` as Python's default ``sys.excepthook`` would have printed
    it under plain Python: with the frames a formatted traceback shows (above), causes,
    contexts, notes and exception groups laid out as Python lays them out."""
    global _reporting
    install()
    _reporting = True
    try:
        report = traceback.TracebackException(type(exc), exc, exc.__traceback__, compact=True)
        if not report.stack:
            # Raised where the program has no frame of its own (an arm run concurrently, say):
            # Python would have shown the program's frame, so the report still reads as one.
            sys.stderr.write("Traceback (most recent call last):\n")
        sys.stderr.write("".join(report.format()))
    finally:
        _reporting = False
