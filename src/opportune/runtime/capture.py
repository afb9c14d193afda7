"""What an external call writes to stdout and stderr, kept for its place in program order.

Plain Python runs a call where the program makes it, so whatever the call prints or logs lands
between the program's output before the call and its output after it. Run concurrently, the
same writes would land wherever the call happens to be. So while a call runs, its writes to the
program's standard streams go to the call's own :class:`Capture`; the runtime puts the capture
in its output queue at the call's sequence number and replays it there (``Runtime._pump``).

Writes are routed at the stream objects themselves, not by replacing ``sys.stdout``: the
``write`` and ``flush`` of the objects that are ``sys.stdout`` and ``sys.stderr`` when the
run's first call is issued are replaced, on the instance, by functions that look up the
capture of the current call. A logging handler made before the run holds these very objects,
so its records are routed too, and the program sees the same objects as under plain Python
(``sys.stdout is sys.__stdout__`` still holds). A thread with no capture writes through at once,
as before: the program's own thread, the runtime's, threads the user started.

The capture of a sync call lives in a thread-local of the worker running it; that of an async
call in a ContextVar of its task (tasks share the loop's thread), which tasks and
``asyncio.to_thread`` calls it starts inherit. A capture is closed when its call ends: a
background task the call left behind writes through from then on, not into a capture no one
replays.

Each capture is a list of the original ``write``/``flush`` calls with their arguments, in
order, across both streams; replaying them on the same objects gives the same bytes, the same
interleaving of stdout with stderr and the same buffer flushes as plain Python writing them at
the call. Not routed (so such calls are not run concurrently, see
``externals._output_use``): writes to the file descriptors (``os.write(1, ...)``, a child
process), to ``sys.stdout.buffer``, and reads of stdin.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

_NO_ARGUMENT = object()


class Capture:
    """The writes of one call so far: (original method, argument) pairs, in order.

    ``direct``: the call's turn has come (everything before it in program order has finished
    and its output is written) while it still runs; what it held is written and from then on
    it writes at once, so a long call's progress shows as it happens, as under plain Python
    (``Runtime._write_through``). ``on_first``: asked at the call's first write whether that
    is already so (the first call of a run, say). ``outer``: the capture of the external
    whose body started this run (a tool that runs ``opportune.run`` itself): what this run
    writes is that call's output, so it goes there, not to the streams."""

    __slots__ = ("direct", "lock", "on_first", "open", "ops", "outer", "seq")

    def __init__(self, seq: int = -1,
                 on_first: Callable[[Capture], None] | None = None,
                 outer: Capture | None = None) -> None:
        self.ops: list[tuple[Callable[..., Any], Any]] = []
        self.outer = outer
        self.open = True
        self.direct = False
        self.lock = threading.Lock()
        self.seq = seq
        self.on_first = on_first

    def replay(self) -> None:
        """Make the writes on the real streams (caller holds the runtime's output lock)."""
        outer = self.outer
        for method, argument in self.ops:
            if outer is not None:
                emit(outer, method, argument)
            elif argument is _NO_ARGUMENT:
                method()
            else:
                method(argument)

    def write_through(self) -> None:
        """Write what was held and let later writes through (caller holds the output lock)."""
        with self.lock:
            self.replay()
            self.ops.clear()
            self.direct = True

    def _keep(self, method: Callable[..., Any], argument: Any) -> bool:
        """Hold one write; False once the call writes through (the caller then makes it)."""
        if not self.ops and self.on_first is not None:
            on_first, self.on_first = self.on_first, None
            on_first(self)
        with self.lock:
            if self.direct:
                return False
            self.ops.append((method, argument))
            return True


def emit(outer: Capture | None, method: Callable[..., Any], argument: Any) -> None:
    """Make one write of a run started inside an external's body: into that call's capture
    while it holds its writes, else on the stream."""
    if outer is not None and outer.open and outer._keep(method, argument):
        return
    if argument is _NO_ARGUMENT:
        method()
    else:
        method(argument)


class _ThreadCapture(threading.local):
    # a class attribute, so a thread that never set one reads None without a failed lookup
    # (getattr with a default on a plain threading.local costs over a microsecond per write)
    capture: Capture | None = None


_local = _ThreadCapture()
_task_capture: ContextVar[Capture | None] = ContextVar("opportune_output_capture", default=None)


def current() -> Capture | None:
    """The capture this thread (or task) writes into now: set inside an external's body."""
    return _local.capture or _task_capture.get()


def swap_thread(cap: Capture | None) -> Capture | None:
    """Make ``cap`` this thread's capture for a while; returns the one to put back."""
    previous = _local.capture
    _local.capture = cap
    return previous


def begin_thread(cap: Capture) -> Capture | None:
    """Route this thread's writes to ``cap``; returns what to give :func:`end_thread`."""
    previous = _local.capture
    _local.capture = cap
    return previous


def end_thread(cap: Capture, previous: Capture | None) -> None:
    cap.open = False
    _local.capture = previous


def begin_task(cap: Capture) -> Any:
    """Route the current task's writes (and those of tasks it starts) to ``cap``."""
    return _task_capture.set(cap)


def end_task(cap: Capture, token: Any) -> None:
    cap.open = False
    _task_capture.reset(token)


# -- routing the standard streams ---------------------------------------------------------------

# id(stream) -> (stream, what its instance held for "write" and "flush" before, or None)
_routed: dict[int, tuple[Any, Any, Any]] = {}
_users = 0
_lock = threading.Lock()


def _routing_write(original: Callable[[str], int]) -> Callable[[str], int]:
    local, task_capture = _local, _task_capture

    def write(text: str) -> int:
        cap = local.capture or task_capture.get()
        if cap is None or not cap.open:
            return original(text)
        if cap.direct:
            if cap.outer is None:
                return original(text)
            emit(cap.outer, original, text)
            return len(text)
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if cap._keep(original, text):
            return len(text)
        if cap.outer is not None:
            emit(cap.outer, original, text)
            return len(text)
        return original(text)

    return write


def _routing_flush(original: Callable[[], Any]) -> Callable[[], Any]:
    local, task_capture = _local, _task_capture

    def flush() -> Any:
        cap = local.capture or task_capture.get()
        if cap is None or not cap.open:
            return original()
        if cap.direct:
            if cap.outer is None:
                return original()
            emit(cap.outer, original, _NO_ARGUMENT)
            return None
        if cap._keep(original, _NO_ARGUMENT):
            return None
        if cap.outer is not None:
            emit(cap.outer, original, _NO_ARGUMENT)
            return None
        return original()

    return flush


def route(streams: tuple[Any, Any]) -> bool:
    """Route the writes of ``streams``, the run's ``sys.stdout`` and ``sys.stderr`` as it
    started (once per run, before its first call; every :func:`route` is paired with an
    :func:`unroute`). False when a stream cannot be routed (``None``, or an object whose
    methods cannot be replaced): calls then get no capture, and those known to write output
    run in program order."""
    global _users
    with _lock:
        _users += 1
        ok = True
        for stream in streams:
            if stream is None:
                ok = False
                continue
            if id(stream) in _routed:
                continue
            own = getattr(stream, "__dict__", None)
            if own is None:
                ok = False
                continue
            try:
                saved = (stream, own.get("write"), own.get("flush"))
                write, flush = stream.write, stream.flush
                stream.write = _routing_write(write)
                stream.flush = _routing_flush(flush)
            except (AttributeError, TypeError):
                ok = False
                continue
            _routed[id(stream)] = saved
        return ok


def unroute() -> None:
    """The run ended: once no run needs it, the streams get their own methods back."""
    global _users
    with _lock:
        _users -= 1
        if _users > 0:
            return
        for stream, write, flush in _routed.values():
            for name, old in (("write", write), ("flush", flush)):
                try:
                    if old is None:
                        stream.__dict__.pop(name, None)
                    else:
                        setattr(stream, name, old)
                except (AttributeError, TypeError):
                    pass
        _routed.clear()


def is_routed(stream: Any) -> bool:
    return id(stream) in _routed


def std_streams_are(streams: tuple[Any, Any]) -> bool:
    """Whether ``sys.stdout`` and ``sys.stderr`` are now the run's own, routed, streams. Inside
    ``contextlib.redirect_stdout(buf)`` they are not: a call made there must write into
    ``buf`` while it is still in place, so it runs in program order."""
    out, err = streams
    return sys.stdout is out and sys.stderr is err and id(out) in _routed and id(err) in _routed


def logging_stays_on_routed_streams() -> bool:
    """Whether every logging handler that exists writes only to a routed stream (or nowhere).

    A record logged by a call goes to every handler of its logger and the loggers above it;
    a handler writing to a file, a socket or a stream of its own would make the write at once,
    where no capture can hold it back, and two calls logging concurrently would mix their
    records in the file. Which handlers a call's logger reaches is not known before it runs,
    so all of them are asked."""
    logging = sys.modules.get("logging")
    if logging is None:
        return True
    for ref in list(getattr(logging, "_handlerList", ())):
        handler = ref()
        if handler is None or isinstance(handler, logging.NullHandler):
            continue
        if isinstance(handler, logging.FileHandler) \
                or not isinstance(handler, logging.StreamHandler):
            return False
        if id(handler.stream) not in _routed:
            return False
    return True
