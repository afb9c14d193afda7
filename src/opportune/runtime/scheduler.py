"""The runtime: issues external calls as soon as their inputs are known, and keeps order.

Threads
    The program runs on its own thread, exactly as plain Python would run it. A background thread
    runs one asyncio event loop: it launches calls when their inputs are ready, awaits ``async``
    externals directly, hands sync externals to a bounded thread pool, and computes derived values
    when their inputs arrive. All state changes of pending values happen on the loop thread; the
    program thread only waits on a condition variable when it *forces* a value. The loop thread
    starts with the program's first external call and builds its loop itself (importing asyncio
    while that call runs): a program that makes no external call never imports asyncio, a large
    share of ``opportune run``'s start-up (measured in docs/cli.md).

Order
    Every pending value gets a sequence number in program order. Output (``print``) is queued and
    written only once everything issued before it has finished without error, so output may be
    delayed, never reordered, and never shows what plain Python would not have reached. A call
    that writes a resource waits for every earlier pending value for the same reason.

Failures
    When a call fails, plain Python would have raised at the call. The runtime raises the
    *earliest* failure in program order at the next point where the program needs a value or
    reaches an effect, discards the output queued after the failing call, cancels writes issued
    after it, and, if the failure happened before the innermost ``try`` was entered, makes sure
    that ``try`` does not catch it (:class:`EscapingFailure`).
"""

from __future__ import annotations

import contextvars
import copy
import enum
import io
import itertools
import os
import sys
import threading
import time
import types
from collections import deque
from collections.abc import Callable
from operator import is_ as _is
from operator import is_not as _is_not
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Protocol

from sortedcontainers import SortedKeyList, SortedList

from opportune.runtime import capture, catching, context, externals, files, generators, loops, tracebacks
from opportune.runtime.arm_objects import SharedObjects
from opportune.runtime.branching import MAYBE_UNBOUND
from opportune.runtime.externals import ExternalSpec, plain_class, returned_class
from opportune.runtime.fences import ReadResults
from opportune.runtime.printed import Text, rendered, resolved
from opportune.runtime.printed import as_text as _as_text
from opportune.runtime.printed import staged as _staged
from opportune.runtime.readers import ConcurrentReaders
from opportune.runtime.snapshot import (
    PLAIN_CONTAINERS,
    collect,
    collect_deep,
    contains_pending,
    fill,
    fill_in_place,
    is_changeable_data,
    nested_failure,
    snapshot,
    snapshot_pending,
)
from opportune.runtime.snapshot import (
    changeable_object as _changeable_object,
)
from opportune.runtime.streams import RESTART, TextStream
from opportune.runtime.tentative import (
    NotTentative,
    Recipe,
    TentativeRead,
    fill_tentatively,
    leaves,
    same_arguments,
)
from opportune.runtime.trace import CallRecord, Schedule, WaitRecord, error_text
from opportune.runtime.values import (
    ATOM_TYPES,
    DONE,
    FAILED,
    IMMUTABLE_TYPES,
    PENDING,
    Pending,
    result_type,
)
from opportune.runtime.values import (
    known_type as value_type,
)
from opportune.runtime.workers import Workers

if TYPE_CHECKING:
    import asyncio

_INF = float("inf")


IDLE_AFTER_S = 0.005  # see Runtime._wait_on


class IdleWork(Protocol):
    """Work a waiting thread of the program may do first (see ``Runtime.idle_work``)."""

    def ready(self) -> bool: ...

    def run_one(self) -> None: ...


class EscapingFailure(BaseException):
    """Carries a call's failure past a ``try`` that plain Python would not have been inside.

    The call failed before the ``try`` statement was entered, so its handlers must not see it;
    compiled ``try`` statements re-raise it untouched, and the program's outermost frame turns it
    back into the original exception.
    """

    def __init__(self, error: BaseException, origin: int) -> None:
        super().__init__(error)
        self.error = error
        self.origin = origin


class SpeculativeFailure(BaseException):
    """A speculatively evaluated branch arm met a failed value; the arm is kept as failed and
    the failure is raised only if the arm is selected."""

    def __init__(self, failed: Pending) -> None:
        super().__init__(failed._value)
        self.failed = failed


def _in_context(program: contextvars.Context, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` to run on a worker thread in (a copy of) the context the program had at the call:
    plain Python runs the call there, so it sees the program's ContextVars and its decimal
    context (p350). The worker's current call (``context.current_call``) is carried over."""
    def call_in_program_context(*args: Any, **kwargs: Any) -> Any:
        info = context._current_call.get()
        return program.copy().run(_call_as, info, fn, args, kwargs)

    return call_in_program_context


def _call_as(info: Any, fn: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    context._current_call.set(info)
    return fn(*args, **kwargs)


_WATCHED_DATA = (dict, list, set, bytearray)
_REGISTRY = "__warningregistry__"
_MODULE_DUNDERS = ("__name__", "__builtins__", "__file__", "__package__", "__spec__",
                   "__loader__")


def _with_globals_as_now(fn: Any, names: tuple[str, ...]) -> Any:
    """``fn`` reading the module-level names of its body as they are bound now: plain Python
    runs the body before the program's next statement, so ``MODEL = "big"`` right after the
    call must not reach it (p354). A twin of ``fn`` whose globals hold just those names (and
    the module's own dunders); the objects are the program's, so changes to them are shared.
    ``names``: every name its code may load (``externals._pinned_names``)."""
    code = getattr(fn, "__code__", None)
    if type(fn) is not types.FunctionType or code is None:
        return fn
    g = fn.__globals__
    pinned = {n: g[n] for n in _MODULE_DUNDERS if n in g}
    for n in names:
        if n in g:
            pinned[n] = g[n]
    if _REGISTRY in g or "warn" in code.co_names:
        # ``warnings.warn`` keeps its "shown once" record in the caller's globals: the twin
        # shares the module's, or every call would warn again (and the program would not
        # see the record)
        pinned[_REGISTRY] = g.setdefault(_REGISTRY, {})
    twin = types.FunctionType(code, pinned, fn.__name__, fn.__defaults__, fn.__closure__)
    twin.__kwdefaults__ = fn.__kwdefaults__
    return twin


def _globals_read(fn: Any, spec: ExternalSpec) -> tuple[Any, ...] | None:
    """What the module-level names (and enclosing functions' variables) in the external's body
    hold now that the program could change in place: its dicts, lists and sets, its own
    classes and their objects. None when the program waits for the call anyway."""
    g = getattr(fn, "__globals__", None)
    if g is None or spec.waited_for:
        return None
    closure = getattr(fn, "__closure__", None)
    cells = dict(zip(fn.__code__.co_freevars, closure)) if closure else None
    found = []
    for name in spec.global_reads:
        cell = cells.get(name) if cells is not None else None
        if cell is not None:
            try:
                value = cell.cell_contents  # a variable of an enclosing function
            except ValueError:
                continue
        else:
            value = g.get(name)
        t = type(value)
        if t in _WATCHED_DATA:
            found.append(value)
        elif t in _UNWATCHED:
            continue
        elif isinstance(value, type):
            if _is_user_module(value.__module__):
                found.append(value)  # a class whose attributes the program may change
        elif t.__module__ != "builtins" and _is_user_module(t.__module__):
            found.append(value)
    return tuple(found)


# what a global an external reads usually holds, none of it the program's to change in place
_UNWATCHED = frozenset({type(None), int, float, str, bytes, bool, tuple, frozenset,
                        types.FunctionType, types.BuiltinFunctionType, types.ModuleType})


def _is_user_module(module: str | None) -> bool:
    from opportune.compiler.functions import is_user_module

    return is_user_module(module)


# What a lazily applied function's arguments hold that the program could change before it runs
# (``_changeable_kind``): nothing, only lists, dicts and sets, or an object of the program's.
_NOTHING, _CONTAINERS, _OBJECTS = 0, 1, 2


def _changeable_kind(values: Any, seen: set[int]) -> int:
    """What ``values`` (a derived call's arguments, after ``snapshot_pending``) hold that the
    program could change in place before the call runs, in one walk:

    - ``_OBJECTS``: an object that is not a plain container (``_changeable_object``: an
      instance of the program's classes, a library data container), anywhere inside;
      ``snapshot`` keeps those by reference, so the call waits or copies them as they are now;
    - ``_CONTAINERS``: only lists, dicts and sets the program kept (a container holding a
      pending value is already a copy; its items are looked at): copies of them do;
    - ``_NOTHING``: atoms, functions, classes and values still being computed only."""
    kind = _NOTHING
    for value in values:
        t = type(value)
        if t in ATOM_TYPES or t is Pending:
            continue
        if t in PLAIN_CONTAINERS:
            if id(value) in seen:
                continue
            seen.add(id(value))
            if t is not tuple and t is not frozenset and not contains_pending(value):
                kind = _CONTAINERS
            inner = _changeable_kind(value.values() if t is dict else value, seen)
            if inner == _OBJECTS:
                return _OBJECTS
            kind = max(kind, inner)
        elif _changeable_object(value):
            return _OBJECTS
    return kind


def _as_at_the_call(fn: Callable[..., Any], args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> Callable[[], Any]:
    """``fn`` applied later to the lists, dicts and sets of ``args`` as they are now.

    ``json.dumps({"a": answer, "b": items})``, ``max(seq, default=n)``: the call runs once
    ``answer`` and ``n`` exist, while plain Python read ``items`` and ``seq`` at the call, and
    the program may change them meanwhile (p604). So it gets copies (``snapshot``), and what
    it returns is given the program's own objects back wherever it holds a copy: ``max``
    returns one of the items itself, ``sorted`` a new list of them. (Making the program's
    changes wait for the call instead would hold back the loop that builds the next prompt
    from a history it then appends to.)"""
    memo: dict[int, Any] = {}
    copied_args, copied_kwargs = snapshot((args, kwargs), memo)
    back: dict[int, Any] = {}
    _originals((args, kwargs), memo, back, set())

    def compute() -> Any:
        return _restored(fn(*fill(copied_args), **fill(copied_kwargs)), back, 0)

    # how a speculative call computes it again (runtime/tentative.py)
    compute.recipe = Recipe(  # type: ignore[attr-defined]
        fn, copied_args, copied_kwargs, lambda value: _restored(value, back, 0))
    return compute


def _originals(value: Any, memo: dict[int, Any], back: dict[int, Any], seen: set[int]) -> None:
    """Map the id of each copy ``snapshot`` made (its ``memo``) to the object it copied."""
    if type(value) not in PLAIN_CONTAINERS or id(value) in seen:
        return
    seen.add(id(value))
    copy_of = memo.get(id(value))
    if copy_of is not None and copy_of is not value:
        back[id(copy_of)] = value
    for v in (value.values() if type(value) is dict else value):
        _originals(v, memo, back, seen)


def _restored(value: Any, back: dict[int, Any], depth: int) -> Any:
    """``value`` with each copy of :func:`_as_at_the_call` replaced by the program's object,
    through the plain containers the call made."""
    original = back.get(id(value))
    if original is not None:
        return original
    t = type(value)
    if depth > 20 or t not in PLAIN_CONTAINERS or not back:
        return value
    if t is dict:
        pairs = [(_restored(k, back, depth + 1), _restored(v, back, depth + 1))
                 for k, v in value.items()]
        if all(a is k and b is v for (a, b), (k, v) in zip(pairs, value.items())):
            return value
        return dict(pairs)
    items = [_restored(v, back, depth + 1) for v in value]
    if all(a is b for a, b in zip(items, value)):
        return value
    if t is list:
        value[:] = items  # the call's own new list: keep it, with the program's items
        return value
    return t(items)


class RuntimeClosed(BaseException):
    """Unwinds a concurrently running function whose program has already ended."""


class EventLoopFailed(BaseException):
    """Ends a program whose run broke: a callback on the runtime's loop thread raised an
    error nothing there expects (Runtime._loop_broke), so values the program waits for may
    never arrive. A ``BaseException``, so that the program's own ``except Exception`` does
    not take it for one of its errors and go on with a run that cannot."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(
            f"opportune: the runtime's event-loop thread raised {type(error).__name__}: {error} "
            "(above); values the program waits for may never arrive, so it stops here. This "
            "is a bug in opportune: please report it with the program; plain python runs "
            "the program unchanged.")
        self.error = error


class CancelledCall(Exception):
    """A call that plain Python would never have made, because an earlier call failed first."""


class OuterFailure(BaseException):
    """Unwinds a concurrently running function that met a failure from before its call.

    That failure belongs to the caller's program order, so the function neither handles nor
    reports it; the caller meets it where plain Python would have.
    """

    def __init__(self, error: BaseException, origin: int) -> None:
        super().__init__(error)
        self.error = error
        self.origin = origin


class Scope:
    """A stretch of program order: the program itself, or one concurrently running call.

    Sequence numbers are integers; a function run concurrently gets a block of them between its
    call's number and the caller's next one, so everything it does sorts exactly where plain
    Python would have done it, however the threads interleave.
    """

    __slots__ = ("lo", "hi", "next", "try_marks", "try_guards", "guard_marks", "ancestors",
                 "calls", "control", "spec_depth", "met", "prefix_reads", "guarding", "parked",
                 "left")

    def __init__(
        self, lo: int, hi: int, ancestors: frozenset[int],
        control: set[int] | frozenset[int] = frozenset(),
        prefix_reads: frozenset[int] = frozenset(),
    ) -> None:
        self.lo = lo
        self.hi = hi
        self.next = lo
        self.try_marks: list[int] = []
        # The marks of the open bodies after whose failing call a change to an object could be
        # seen: every ``try``, and a ``with`` unless all its managers are inert
        # (runtime/managers.py). A subset of ``try_marks``.
        self.guard_marks: list[int] = []
        # For each entry of ``try_marks``, whether that body guards: a ``with`` opened first
        # thing in a ``try`` body has the same mark as the ``try``, so leaving it must not take
        # the ``try``'s guard mark away.
        self.try_guards: list[bool] = []
        # Whether this scope put a token into context.GUARDED: it has taken a sequence number
        # inside an open try or with body, so a later change to an object there must be seen
        # (Runtime.settle_for_effect). Removed once its last body closes.
        self.guarding = False
        self.ancestors = ancestors
        self.calls: set[int] = set()
        # Calls whose results decided the control flow so far: every later call depends on
        # them (the ideal schedule cannot start it before they finish).
        # Only the scope's own thread changes it, in place (a copy per forced value would
        # cost time quadratic in the number of calls).
        self.control: set[int] = set(control)
        # Streamed calls part of whose text the program went on with (trace only: later calls
        # record them as ``CallRecord.read_from``; nothing waits on them).
        self.prefix_reads = prefix_reads
        # Inside the arms of an if-converted branch: values built here are speculative (their
        # failures are kept, not raised) until a selection picks them.
        self.spec_depth = 0
        # The call failure this thread met last, as (error, origin, tick): a handler that
        # catches it puts back the names its ``try`` body rebound after that call and before
        # the failure was met (journal entries kept before ``tick``), see compiler/rollback.py.
        self.met: tuple[BaseException, int, int] | None = None
        # The journal of the ``try`` body left last by an exception, as (mark, entries): its
        # handlers, tested next, may roll back with it (see Runtime.try_exit).
        self.parked: tuple[int, list[tuple[int, str, Any, int]]] | None = None
        # By mark, the bodies left by a call failure issued inside them, as (met, entries):
        # the code right after a ``with`` whose manager suppressed it, or a ``finally``, puts
        # back the names rebound after the call (Runtime.restore).
        self.left: dict[int, tuple[tuple[BaseException, int, int], list[Any]]] = {}


_ROOT_SPAN = 1 << 240
_MIN_BLOCK = 1 << 24
CHANGE_IN_TRY = ("inside a try or with block: a change to an object waits for the calls "
                 "issued in the block, so a failing call is met first, as in plain Python")


def _guard(sc: Scope) -> None:
    """``sc`` took a sequence number inside an open try or with body (see Scope.guarding)."""
    sc.guarding = True
    context.GUARDED.append(id(sc))


def _unguard(token: int) -> None:
    """A ``try`` body or concurrent reader that set :data:`context.GUARDED` is over."""
    try:
        context.GUARDED.remove(token)
    except ValueError:
        pass




def _before_met(entries: list[tuple[int, str, Any, int]], met: tuple[BaseException, int, int]
                ) -> dict[str, Any]:
    """The old values of the names rebound after call ``met[1]`` and before its failure was
    met: the first such entry of each name holds the value plain Python left it with."""
    _, origin, tick = met
    restored: dict[str, Any] = {}
    for when, name, old, kept in entries:
        if when > origin and kept < tick and name not in restored:
            restored[name] = old
    return restored


class _OutputEntry:
    __slots__ = ("seq", "args", "sep", "end", "file", "flush", "watched")

    def __init__(self, seq: int, args: Any, sep: Any, end: Any, file: Any, flush: bool) -> None:
        self.seq = seq
        self.args = args
        self.sep = sep
        self.end = end
        self.file = file
        self.flush = flush
        # a concurrent reader of the values of pending values in ``args`` (see _watch_print)
        self.watched = False


class _Broken:
    """Kept at the head of the output queue once the loop thread broke (Runtime._loop_broke):
    a print then takes the queued path, which raises, and the queue writes nothing more."""

    __slots__ = ()
    seq = -1
    args: tuple[Any, ...] = ()
    watched = False


class _CapturedOutput:
    """What a call wrote to stdout and stderr (runtime/capture.py), queued at the call's place
    in program order like a ``print`` of the program's."""

    __slots__ = ("capture", "seq")
    args: tuple[Any, ...] = ()
    watched = False

    def __init__(self, seq: int, cap: capture.Capture) -> None:
        self.seq = seq
        self.capture = cap


class _EffectEntry:
    """An effect on stdout or stderr queued at its place in program order, like a ``print``:
    ``emit`` runs once everything before it is written and ``inputs`` exist, and is dropped
    when one of them failed or a failure before it is met (a logging call, runtime/logs.py)."""

    __slots__ = ("seq", "inputs", "emit")
    args: tuple[Any, ...] = ()
    watched = False  # never a reader of what it writes: ``emit`` renders it itself

    def __init__(self, seq: int, inputs: tuple[Pending, ...], emit: Callable[[], None]) -> None:
        self.seq = seq
        self.inputs = inputs
        self.emit = emit


class Runtime:
    """Drives one program run. Create with :meth:`start`, finish with :meth:`close`."""

    def __init__(self, *, threads: int | None = None, explain: bool = False) -> None:
        self.program_id = os.urandom(6).hex()  # as uuid4().hex[:12], without importing uuid
        self.explain = explain
        # Streaming calls feed their text as it is generated (OPPORTUNE_STREAM=0 turns it off)
        self.streaming = os.environ.get("OPPORTUNE_STREAM", "1") != "0"
        self._streaming_entry: _StreamingPrint | None = None
        # Unfinished values on the way to a streamed text inside a call's result (the call, then
        # ``.choices``, ``[0]`` ... of ExternalSpec.stream_path): seq -> (stream, steps left).
        self._stream_paths: dict[int, tuple[TextStream, tuple[tuple[str, Any], ...]]] = {}
        self.schedule = Schedule()
        self._t0 = time.perf_counter()
        self._root = Scope(1, _ROOT_SPAN, frozenset())
        self._any = False
        # Files the program opened whose writes are queued, and the place of the last write
        # queued to one (runtime/files.py); the with bodies closing one, by mark.
        self.files: Any = None
        self._file_seq = -1
        self.file_marks: set[tuple[int, int, int]] = set()
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        # Work a thread of the program does while it would otherwise wait for a value: compiling
        # the program's later stages ahead (compiler/stages.py). ``ready()`` says whether there
        # is any; ``run_one()`` does one piece.
        self.idle_work: IdleWork | None = None
        # Seqs that threads wait on in _cond (with how many waiters each): a result wakes the
        # waiters only if one waits on it, or it is a failure (which ends every wait). Waking
        # them on every result costs a thread switch each, many thousands in a large batch.
        self._watched: dict[int, int] = {}
        self._out_lock = threading.RLock()
        self._live: dict[int, Pending] = {}
        self._live_order = SortedList()
        self._failures: dict[int, BaseException] = {}
        # origins of failures of speculative values (runtime/branching.py): recorded nowhere,
        # so a real value that takes one becomes the failure's origin itself
        self._spec_origins: set[int] = set()
        self._journal: dict[int, list[tuple[int, str, Any, int]]] = {}
        # Orders journal entries against the moment a failure is met (Scope.met): a name
        # rebound after that, by a handler or a ``finally``, is not put back.
        self._ticks = itertools.count()
        self._handled: set[int] = set()
        self._discarded: list[tuple[int, int]] = []
        self._parked: list[Callable[[], None]] = []
        # Bodies of ``try`` statements turned into branches whose outcome is still open: the
        # failures of their values are held there, not recorded (runtime/catching.py).
        self._catching: list[catching.Catch] = []
        self.readers = ConcurrentReaders(self)
        self.read_results = ReadResults(self)
        self.shared_objects = SharedObjects(self)
        self._writers: dict[str, dict[int, Pending]] = {}
        # Deferred arms whose writes are known (no ``"*"``), by the seq of their writer
        # registration: the span of program order (lo, hi) of the block they run in. A read
        # may run before such an arm has decided (a speculative read, see _confirm_read).
        self._arm_blocks: dict[int, tuple[int, int]] = {}
        # (seq, resources) of every writing call issued, by seq, to tell whether an arm wrote
        # (a range search over its block).
        self._issued_writes: SortedKeyList = SortedKeyList(key=itemgetter(0))
        # For speculative calls (``@external(speculative=True)``, runtime/tentative.py), kept
        # only once such an external exists: the first results of speculative reads by seq,
        # the recipes of unfinished values derived from them, and the seqs of both.
        self._tentative_reads: dict[int, TentativeRead] = {}
        self._recipes: dict[int, Recipe] = {}
        self._tentable: set[int] = set()
        self._records: dict[int, CallRecord] = {}
        # each call's call site, for a traceback the program formats (runtime/tracebacks.py)
        self._sites: dict[int, tracebacks.Site] = {}
        # the compiled generators running at a call or derived value, by its seq: meeting its
        # failure ends those suspended (runtime/generators.py)
        self._generators: dict[int, tuple[tuple[int, Any], ...]] = {}
        self._async_calls: set[int] = set()
        self._outq = SortedKeyList(key=_entry_seq)
        # Whether the standard streams are routed to per-call captures (runtime/capture.py):
        # 0 not yet (done at the first call), 1 yes, -1 they could not be. Calls in
        # _uncaptured run in program order and write at once.
        self._routed = 0
        self._park_lock = threading.Lock()  # speculative values put off (Runtime.confirm)
        self._uncaptured: set[int] = set()
        # Captures of running calls that have written something, by seq: the earliest may
        # write through once its turn comes (_write_through_head). Changed under _out_lock.
        self._captures: dict[int, capture.Capture] = {}
        self._std_streams: tuple[Any, Any] = (sys.stdout, sys.stderr)
        # a run started inside an external's body writes into that call's capture
        self._outer_capture = capture.current()
        self._sems: dict[ExternalSpec, asyncio.Semaphore] = {}
        max_threads = threads or int(os.environ.get("OPPORTUNE_THREADS", "128"))
        # Sync calls, streamed or not, run on _workers, each counted against its function's
        # max_concurrency in _running; async ones are tasks on the loop.
        self._workers = Workers(max_threads, "opportune-call")
        # keyed by id(spec): hashing the frozen dataclass costs a microsecond per call
        self._running: dict[int, int] = {}
        self._held_calls: dict[int, deque[Callable[[], Any]]] = {}
        # Results recorded on worker threads whose callbacks still have to run on the loop.
        self._handoff: list[list[Callable[[], None]]] = []
        self._handoff_scheduled = False
        # Callbacks queued on each thread while it runs callbacks (see _run_callbacks).
        self._trampoline = threading.local()
        # The values among them that have such callbacks (values derived from them, computed
        # by the handoff): the program waits for those before it uses the value (after_handoff).
        self._handed_off: set[int] = set()
        self._handoff_waiters = 0  # program threads in after_handoff
        # By the seq of a result that may change in place, the unfinished calls it was handed
        # to (see before_changing_argument).
        self._call_args: dict[int, list[Pending]] = {}
        self._call_args_limit = 1024
        self._event_loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: threading.Thread | None = None
        self._loop_handle: loops.LoopThread | None = None
        # Set on the loop thread when the run lets go of its loop: a callback of this run that
        # reaches the loop later does nothing (the loop may serve the next run by then).
        self._loop_released = False
        self._loop_start = threading.Lock()
        self._program_thread: threading.Thread | None = None
        self._program_ident: int | None = None
        self._closed = False
        # What ended a callback on the loop thread unexpectedly (see _loop_broke): the run
        # cannot go on, and the program raises EventLoopFailed at its next wait.
        self._loop_error: BaseException | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def _loop(self) -> asyncio.AbstractEventLoop:
        """The event loop; the first use starts it (see the module docstring) and waits for it."""
        loop = self._event_loop
        if loop is None:
            self._start_loop_thread()
            handle = self._loop_handle
            if handle is not None:
                handle.ready.wait()
                self._event_loop = handle.loop
            loop = self._event_loop
            if loop is None:
                raise RuntimeError(
                    "opportune: the event loop thread could not start (its error was printed "
                    "above); async externals and streamed calls need it. Check that asyncio "
                    "imports in this interpreter, or run the program with plain python.")
        return loop

    def _start_loop_thread(self) -> None:
        """Take the loop a finished run parked, or start a loop thread, unless this run has
        one already; returns at once (a new thread imports asyncio and builds the loop itself;
        see runtime/loops.py). Once the run is closed it starts nothing: the loop is then a
        closed one, which refuses work as the loop of a closed run always has."""
        with self._loop_start:
            if self._loop_handle is not None or self._event_loop is not None:
                return
            if self._closed:
                loop = loops.new_event_loop()
                loop.close()
                self._event_loop = loop
                return
            handle = loops.take()
            self._loop_handle = handle
            self._loop_thread = handle.thread

    def start(self) -> Runtime:
        self._program_thread = threading.current_thread()
        self._program_ident = threading.get_ident()
        self._previous = context.set_active_runtime(self)
        tracebacks.install()
        self._std_streams = (sys.stdout, sys.stderr)
        return self

    def finish(self) -> None:
        """Wait for everything, write all output, and raise the earliest failure if any."""
        self.sync_point("end of program")

    def failure_before_own_error(self, reason: str | None = None) -> BaseException | None:
        """The program stopped with an error of its own (``1 / 0``) at its top level, or
        exited (``reason`` says so to ``--explain``).

        Plain Python got there only because every call before that point succeeded. Returns
        the earliest failure among them, which is what plain Python raised instead, or writes
        the output they held back and returns None: the program's own error stands.
        """
        now = self.scope().next
        try:
            self._wait_before(now, reason or "the program raised an error: an earlier call "
                              "may have failed first")
        except RuntimeClosed:
            return None
        first = self._earliest_failure(0, now)
        if first is not None:
            return self._handle(first)
        with self._out_lock:
            self._pump(force_all=True)
        first = self._earliest_failure(0, now)  # writing a queued print raised (_print_failed)
        return self._handle(first) if first is not None else None

    def close(self) -> None:
        """Stop the loop and the pool; output whose turn has come is written first."""
        if self._closed:
            return
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        context.LIVE.discard(id(self))
        context.set_active_runtime(self._previous)
        tracebacks.forget_call_sites()
        self.shared_objects.close()
        with self._out_lock:
            self._pump(force_all=False)
            # prints never written (the program ended by an error first) read nothing any
            # more: their tokens in context.GUARDED would slow the hooks of every later run
            for entry in self._outq:
                self._unwatch(entry)
        if self._routed:
            capture.unroute()
        self.schedule.wall = self.now()
        with self._loop_start:
            handle = self._loop_handle
        if handle is not None:
            handle.ready.wait()
            loop = handle.loop
            if loop is not None:
                self._end_loop(handle, loop)
        self._workers.shutdown()

    def _soon(self, fn: Callable[..., None], *args: Any) -> None:
        """Run ``fn(*args)`` on the loop thread, unless the run has let go of the loop by then."""
        self._loop.call_soon_threadsafe(self._unless_released, fn, args)

    def _unless_released(self, fn: Callable[..., None], args: tuple[Any, ...]) -> None:
        if not self._loop_released:
            try:
                fn(*args)
            except BaseException as exc:  # noqa: BLE001 - reported to the program thread
                self._loop_broke(exc)

    def _loop_broke(self, exc: BaseException) -> None:
        """A callback on the loop thread raised ``exc``, which nothing there expects: what
        it had left to do (finish the values waiting on the one it finished, write output)
        is lost, and a program waiting for one of those values would wait forever. Instead
        the program raises :class:`EventLoopFailed` at its next wait, its next queued
        print or its end, and nothing more is written. Once the run is closed, the error
        goes to the loop's exception handler (printed), as before."""
        if self._closed:
            raise exc
        with self._cond:
            if self._loop_error is None:
                self._loop_error = exc
                # a print with nothing live or queued would be written at once: queued, it
                # raises instead (Runtime.print)
                self._outq.add(_Broken())
            self._cond.notify_all()

    def _check_loop(self) -> None:
        """Raise :class:`EventLoopFailed` if the loop thread broke (see :meth:`_loop_broke`)."""
        error = self._loop_error
        if error is not None:
            raise EventLoopFailed(error) from error

    def _end_loop(self, handle: loops.LoopThread, loop: asyncio.AbstractEventLoop) -> None:
        """Cancel the run's tasks; park the loop for the next run if it is left as a new one
        would be (runtime/loops.py), else stop and close it."""
        import asyncio

        deadline = time.monotonic() + 5
        parked: list[bool] = []  # set by the loop thread before it stops (or parks) the loop
        ended = threading.Event()
        asyncio.run_coroutine_threadsafe(self._shutdown_loop(handle, loop, parked, ended), loop)
        ended.wait(timeout=5)
        if parked == [True]:
            return
        handle.thread.join(timeout=max(0.0, deadline - time.monotonic()))
        if not handle.thread.is_alive():
            # closed here, not by the loop's finalizer at interpreter exit, when its
            # self-pipe may already be gone ("Exception ignored ... Invalid file descriptor")
            loop.close()

    async def _shutdown_loop(self, handle: loops.LoopThread, loop: asyncio.AbstractEventLoop,
                             parked: list[bool], ended: threading.Event) -> None:
        import asyncio

        kept = False
        try:
            tasks = [t for t in asyncio.all_tasks(loop) if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop_released = True
            kept = loops.idle(loop) and loops.park(handle)
        finally:
            parked.append(kept)
            ended.set()
            if not kept:
                loop.stop()

    def now(self) -> float:
        return time.perf_counter() - self._t0

    def scope(self) -> Scope:
        sc = getattr(context._local, "scope", None)
        return self._root if sc is None else sc

    @property
    def _try_marks(self) -> list[int]:
        sc = getattr(context._local, "scope", None)
        return (self._root if sc is None else sc).try_marks

    @property
    def _guard_marks(self) -> list[int]:
        sc = getattr(context._local, "scope", None)
        return (self._root if sc is None else sc).guard_marks

    def next_seq(self) -> int:
        return self._take_seq(getattr(context._local, "scope", None) or self._root)

    def _take_seq(self, sc: Scope) -> int:
        """The next number of program order in ``sc``; inside an open guarding body the scope
        starts guarding changes to objects (Scope.guarding)."""
        seq = sc.next
        if seq >= sc.hi:
            raise RuntimeError("opportune: sequence space of a concurrent call exhausted")
        sc.next = seq + 1
        self._any = True
        if sc.guard_marks and not sc.guarding:
            _guard(sc)
        return seq

    def reserve_block(self) -> Scope | None:
        """Carve a block of program order for a call run concurrently, or None if too deep."""
        sc = self.scope()
        size = (sc.hi - sc.next) >> 16
        if size < _MIN_BLOCK:
            return None
        call_seq = self.next_seq()
        child = Scope(sc.next, sc.next + size, sc.ancestors | {call_seq}, sc.control,
                      sc.prefix_reads)
        sc.next += size
        return child

    # -- creating pending values ------------------------------------------------------------------

    def new_pending(self, label: str, calls: frozenset[int] = frozenset()) -> Pending:
        """A pending value that some runtime machinery will finish (a branch selection)."""
        p = Pending(self, self.next_seq(), label, None, calls)
        if self.scope().spec_depth:
            object.__setattr__(p, "_speculative", True)
            object.__setattr__(p, "_spec", [[], None])  # what it takes is confirmed with it
        else:
            self._register(p)
        return p

    def note_deferred_writer(self, p: Pending, writes: frozenset[str],
                             block: Scope | None = None) -> None:
        """A deferred branch arm may make calls that write ``writes`` (``"*"``: any resource):
        later reads of those resources wait for it. Later writes wait for it anyway, as for
        any unfinished call before them. With the arm's ``block`` given and its writes known, a later read may run before it decides (see :meth:`_confirm_read`)."""
        with self._lock:
            for r in writes:
                self._writers.setdefault(r, {})[p._seq] = p
            if block is not None and "*" not in writes:
                self._arm_blocks[p._seq] = (block.lo, block.hi)

    def _register(self, p: Pending) -> None:
        with self._lock:
            if not self._live:
                context.LIVE.add(id(self))
            self._live[p._seq] = p
            self._live_order.add(p._seq)

    def _when_ready(self, inputs: list[Pending], then: Callable[[], None]) -> None:
        """Run ``then`` once every input is finished: now if they are, else on the loop thread."""
        with self._lock:
            waiting = [p for p in inputs if p._state == PENDING]
            if waiting:
                remaining = [len(waiting)]

                def one_done() -> None:
                    remaining[0] -= 1
                    if remaining[0] == 0:
                        then()

                for p in waiting:
                    p._callbacks.append(one_done)
                return
        then()

    def derive_op(
        self,
        op: Callable[..., Any],
        operands: tuple[Any, ...],
        label: str,
        attr_of: Pending | None = None,
        item_of: Pending | None = None,
    ) -> Any:
        """Apply a local operation to operands of which at least one is pending."""
        inputs = [v for v in operands if type(v) is Pending]
        for v in operands:
            if type(v) in PLAIN_CONTAINERS:  # ``out + [k]``: the list holds pending ``k``
                collect(v, inputs)
        if all(p._state == DONE for p in inputs):
            if self._handed_off:
                for p in inputs:
                    if p._seq in self._handed_off and type(p._value) not in ATOM_TYPES:
                        self.after_handoff(p)
            if all(p._tracks is None for p in inputs):
                return op(*[v._value if type(v) is Pending else v for v in operands])
            if not self.read_results.active(inputs):
                # Built from a finished result of a read (runtime/fences.py): text or a number
                # holds none of its objects; anything else stays a tracked value.
                value = op(*[v._value if type(v) is Pending else v for v in operands])
                if type(value) in ATOM_TYPES:
                    return value
                return self._derive(lambda: value, inputs, label, type(value))
        for p in inputs:
            if p._state == FAILED:
                return self._propagate_now(p, label)
        if op is _is or op is _is_not:
            # ``reply is history``: identity reads no contents, and a copy would have another
            p = self._derive(lambda: op(*[v._value if type(v) is Pending else v
                                          for v in operands]), inputs, label, bool)
            return p
        for v in operands:
            if type(v) not in ATOM_TYPES and type(v) is not Pending and _changeable_object(v):
                # ``answer == doc`` then ``doc.text = ...``: computed later, the operation
                # would see the object as changed; plain Python applied it to it as it is now
                for p in inputs:
                    if p._state == PENDING:
                        self.wait_for(p, "an operation on this value reads an object of the "
                                         "program's that can change meanwhile")
                return self.derive_op(op, operands, label, attr_of, item_of)
        known = None
        if attr_of is not None and attr_of._type is not None:
            known = _attribute_type(attr_of._type, operands[1])
        elif attr_of is None and item_of is None:
            known = result_type(op, operands)
        if any(type(v) in _MUTABLE_CONTAINERS for v in operands):
            # ``p + lst`` then ``lst.append(9)``: the operation sees the list as it is now, its
            # items the same objects (a shallow copy keeps ``lst[p]`` the very item)
            operands = tuple(_shallow_copy(v) if type(v) in _MUTABLE_CONTAINERS else v
                             for v in operands)
        p = self._derive(lambda: op(*[fill(v) for v in operands]), inputs, label, known,
                         Recipe(op, operands, {}) if self._tentable else None)
        if attr_of is not None:
            object.__setattr__(p, "_src", (attr_of, operands[1]))
        if self._stream_paths:
            self._follow_stream_path(p, attr_of, item_of, operands)
        return p

    def _follow_stream_path(self, p: Pending, attr_of: Pending | None, item_of: Pending | None,
                            operands: tuple[Any, ...]) -> None:
        """``resp.choices[0].message.content`` read from a pending SDK response: each step
        along the spec's stream_path carries the call's stream on, and the last one gets it as
        its own text, so work on that text's prefix can start (see ExternalSpec.stream_path)."""
        base = attr_of if attr_of is not None else item_of
        along = self._stream_paths.get(base._seq) if base is not None else None
        if along is None or not along[1] or len(operands) != 2:
            return
        stream, steps = along
        kind, key = steps[0]
        if (kind == ".") != (attr_of is not None) or type(operands[1]) is not type(key) \
                or operands[1] != key:
            return
        self._stream_paths[p._seq] = (stream, steps[1:])
        if len(steps) == 1:
            object.__setattr__(p, "_stream", stream)
        if p._state != PENDING:  # finished meanwhile: _finish has already let go of it
            self._stream_paths.pop(p._seq, None)

    def derive_call(
        self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], label: str,
        known_type: type | None = None,
    ) -> Any:
        """Call a pure function once the pending values in its (snapshotted) arguments exist."""
        args = tuple(snapshot_pending(a) for a in args)
        kwargs = {k: snapshot_pending(v) for k, v in kwargs.items()}
        inputs: list[Pending] = []
        collect(args, inputs)
        collect(kwargs, inputs)
        if not inputs:
            return fn(*args, **kwargs)
        kind = _changeable_kind((*args, *kwargs.values()), set())
        if kind == _CONTAINERS:
            # only lists, dicts and sets the program may change: copies as they are now, and
            # the program's own objects back in the result (_as_at_the_call)
            compute = _as_at_the_call(fn, args, kwargs)
            return self._derive(compute, inputs, label, known_type,
                                compute.recipe if self._tentable else None)  # type: ignore[attr-defined]
        if kind == _OBJECTS:
            # ``json.dumps({"meta": meta, "answer": pending})`` then ``meta.turn = 2``:
            # applied later, the function would read what the program changed meanwhile
            if known_type in ATOM_TYPES:
                try:  # text or a number holds none of them: copies as they are now do
                    args, kwargs = _as_now(args), _as_now(kwargs)
                except Exception:  # noqa: BLE001 - any failure to copy: wait instead
                    known_type = None
            if known_type not in ATOM_TYPES:
                for p in inputs:
                    if p._state == PENDING:
                        self.wait_for(p, f"{label} reads objects of the program's that can "
                                         "change meanwhile")
        return self._derive(
            lambda: fn(*fill(args), **fill(kwargs)), inputs, label, known_type,
            Recipe(fn, args, kwargs) if self._tentable else None,
        )

    def _propagate_now(self, failed: Pending, label: str) -> Pending:
        p = Pending(self, self.next_seq(), label, None, failed._calls)
        object.__setattr__(p, "_state", FAILED)
        object.__setattr__(p, "_value", failed._value)
        object.__setattr__(p, "_origin", failed._origin)
        if self.scope().spec_depth:
            object.__setattr__(p, "_speculative", True)
        elif failed._origin in self._spec_origins:
            # an arm's failure no one recorded (see _finish): it is this value's own now
            object.__setattr__(p, "_origin", p._seq)
            with self._lock:
                self._failures[p._seq] = failed._value
                self._cond.notify_all()  # a failure ends every wait (see _wait_on)
        return p

    def _derive(
        self, compute: Callable[[], Any], inputs: list[Pending], label: str,
        known_type: type | None, recipe: Recipe | None = None,
    ) -> Pending:
        calls: frozenset[int] = frozenset().union(*(p._calls for p in inputs))
        p = Pending(self, self.next_seq(), label, known_type, calls)
        site = self._sites[p._seq] = tracebacks.call_site()
        if generators.TOKENS:
            self.note_generators(p._seq, site)
        if self.scope().spec_depth:
            object.__setattr__(p, "_speculative", True)
            object.__setattr__(p, "_spec", [inputs, None])
        else:
            self._register(p)
        fences = self.read_results.built_from(p, inputs) if externals.TRACK_READ_RESULTS else []
        if self._tentable and recipe is not None and not fences \
                and any(i._seq in self._tentable and i._state == PENDING for i in inputs):
            # built from a speculative read: a speculative call may compute it again from
            # the read's first result (runtime/tentative.py)
            self._recipes[p._seq] = recipe
            self._tentable.add(p._seq)

        def ready() -> None:
            if self._recipes:
                self._recipes.pop(p._seq, None)
            object.__setattr__(p, "_calls", frozenset().union(*(i._calls for i in inputs)))
            first = nested_failure(inputs)
            if first is not None:
                self._finish(p, FAILED, first._value, first._origin)
                return
            if p._spec is not None and _runs_programs_code(inputs):
                with self._park_lock:
                    if p._spec is not None:  # not taken yet: computed only once it is
                        p._spec[1] = ready
                        return
            try:
                value = self.at_place(p._seq, compute)
            except BaseException as exc:
                self._finish(p, FAILED, exc, p._seq)
                return
            if type(value) is Pending:
                self._when_ready([value], lambda: self._adopt(p, value))
            else:
                self._finish(p, DONE, value, None)

        self._when_ready(inputs + fences if fences else inputs, ready)
        return p

    def confirm(self, p: Any) -> None:
        """A selection (or an ``and``/``or``, an ``any``/``all``) takes ``p``, a value derived
        while speculating, as plain Python's: an operation of the program's own class put off
        until then (its ``__add__`` prints: plain Python never ran it for the arm it did not
        take, p674) is made now, at its place, and so are those of the values it is built
        from."""
        if type(p) is not Pending or p._spec is None:
            return
        with self._park_lock:
            spec = p._spec
            object.__setattr__(p, "_spec", None)
        if spec is None:
            return
        inputs, put_off = spec
        for i in inputs:
            self.confirm(i)
        if put_off is not None:
            put_off()

    def take(self, holder: Pending, value: Any) -> None:
        """``holder`` (a selection, an ``and``/``or``, an ``any``/``all``) takes ``value`` as
        plain Python's: confirmed now, or, while ``holder`` is itself a speculative value no
        selection has taken yet (an ``if`` nested in an arm), once ``holder`` is."""
        if type(value) is not Pending or value._spec is None:
            return
        with self._park_lock:
            spec = holder._spec
            if spec is not None:
                spec[0].append(value)
                return
        self.confirm(value)

    def at_place(self, seq: int, compute: Callable[..., Any], *args: Any) -> Any:
        """``compute(*args)``, an operation on values that have just arrived (``answer == "yes"``,
        the truth of a branch's condition), made where the program made it in program order:
        at ``seq``. Made on the thread that finished its input (the loop's, a worker's), it
        may run code of the program's (an operator or a ``__bool__`` of its class) that prints;
        what it writes to stdout and stderr is held and queued at ``seq``, so it lands between
        the program's output before that point and after it, not whenever the value arrived
        (the thread the program runs on, or a function it runs concurrently, writes through
        its own place already)."""
        if self._routed <= 0 or capture.current() is not None \
                or getattr(context._local, "scope", None) is not None \
                or threading.get_ident() == self._program_ident:
            return compute(*args)
        cap = capture.Capture(seq)
        previous = capture.swap_thread(cap)
        try:
            return compute(*args)
        finally:
            capture.end_thread(cap, previous)
            if cap.ops:
                self._queue_captured(seq, cap)

    def use_read_result(self, p: Pending, hands_out: bool) -> None:
        """The program uses ``p``, a finished result of a read (see runtime/fences.py)."""
        self.read_results.use(p, hands_out)

    def _adopt(self, p: Pending, source: Pending) -> None:
        if source._state == DONE:
            self._finish(p, DONE, source._value, None)
        elif source._speculative and source._label == MAYBE_UNBOUND:
            if p._label == MAYBE_UNBOUND:  # a later selection of the same name: still unbound
                object.__setattr__(p, "_speculative", True)
            # otherwise a function returned the name: that read raised, here
            self._finish(p, FAILED, source._value, p._seq)
        else:
            self._finish(p, FAILED, source._value, source._origin)

    # -- external calls ---------------------------------------------------------------------------

    def issue(
        self,
        spec: ExternalSpec,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        wait: bool | str = False,
    ) -> Any:
        """Start an external call as soon as its inputs are known; return its pending result."""
        if getattr(context._local, "runtime", None) is not self:
            return fn(*args, **kwargs)
        if spec.is_generator:
            # nothing to overlap: the call only makes the generator, whose body must run
            # where the program iterates it (a derived ``list(gen())`` would run it on
            # another thread, ahead of the program's output)
            return fn(*(fill(a) for a in args), **{k: fill(v) for k, v in kwargs.items()})
        watched: tuple[Any, ...] | None = None
        if spec.global_reads:
            watched = _globals_read(fn, spec)
            if watched is not None and spec.pinned_names:
                fn = _with_globals_as_now(fn, spec.pinned_names)
        if not spec.is_async:
            program_context = contextvars.copy_context()
            if len(program_context):  # an empty one is what a worker thread starts with
                fn = _in_context(program_context, fn)
        if not self._routed:
            self._route_output()
        if self._file_seq >= 0 and (spec.reads or spec.writes or files.among(self, args, kwargs)):
            self.flush_files(f"external {spec.name} declares reads=/writes= or is handed a "
                             "file: the file's queued writes are written first")
        in_order = None
        if spec.prints or spec.in_order_output:
            in_order = self._why_in_order(spec)
            if in_order is not None:
                self.sync_point(f"external {spec.name} {in_order}: it runs in program order")
        held: list[Any] = []
        arg_deps: list[Pending]
        mutates = False
        if not kwargs and _all_atoms(args):
            # f(i), f("text"): nothing to copy and nothing to wait for
            call_args, call_kwargs, arg_deps = args, kwargs, []
        else:
            mutates = externals.changes_arguments(spec, args, kwargs)
            if mutates:
                call_args, call_kwargs = args, kwargs
                if self.readers.entries:
                    # it changes them on a worker, where no hook sees it: the readers of
                    # these objects (a queued print of one) are asked first, on the value
                    # (the program waits for the call anyway)
                    for a in (*args, *kwargs.values()):
                        self.readers.before_change(a._force() if type(a) is Pending else a)
            else:
                copier = _ObjectCopier(held)
                memo: dict[int, Any] = {}  # one copy of an object named twice (``f(d, [d])``)
                call_args = snapshot(args, memo, copier)
                call_kwargs = snapshot(kwargs, memo, copier)
                if spec.stream is None:
                    fn = _returning_originals(fn, (args, kwargs), (call_args, call_kwargs),
                                              copier, spec.is_async)
            arg_deps = []
            collect(call_args, arg_deps)
            collect(call_kwargs, arg_deps)
        if self._loop_thread is None:
            self._start_loop_thread()
        sc = self.scope()
        seq = self._take_seq(sc)
        sc.calls.add(seq)
        known = spec.returns if spec.returns_param is None else returned_class(spec, args, kwargs)
        p = Pending(self, seq, spec.name, known, frozenset((seq,)))
        if arg_deps and not mutates:
            # the call gets these results themselves (not copies) once they exist
            changeable = [q for q in arg_deps if value_type(q) not in IMMUTABLE_TYPES]
            if changeable:
                self._note_call_reads(p, changeable)
        if spec.stream is not None and self.streaming:
            stream = TextStream()
            self._stream_paths[seq] = (stream, spec.stream_path)
            if not spec.stream_path:
                object.__setattr__(p, "_stream", stream)
        if spec.is_async:
            self._async_calls.add(seq)
        if in_order is not None:
            self._uncaptured.add(seq)
        with self._lock:
            if spec.writes:
                anc = sc.ancestors
                order_deps = [
                    self._live[s] for s in self._live_order.irange(None, seq, (True, False))
                    if s not in anc
                ]
            elif spec.reads:
                anc = sc.ancestors
                order_deps = [
                    w for r in (*spec.reads, "*") for s, w in self._writers.get(r, {}).items()
                    if s < seq and s not in anc
                ]
            else:
                order_deps = []
            if not self._live:
                context.LIVE.add(id(self))
            self._live[seq] = p
            self._live_order.add(seq)
            for r in spec.writes:
                self._writers.setdefault(r, {})[seq] = p
            if spec.writes:
                self._issued_writes.add((seq, spec.writes))
            past = self._speculable(spec, order_deps) if order_deps and spec.reads else None
        if watched:
            self.readers.add_global_reader(p, watched)
        fenced = False
        if externals.TRACK_READ_RESULTS:
            if arg_deps:
                # uses of read results that a change before this call alters wait for it
                order_deps = order_deps + self.read_results.active(arg_deps)
            if spec.changes_read_results:
                fenced = self.read_results.fence(spec.writes, p, seq + 1)
            if spec.reads or spec.writes:
                self.read_results.note_call(p, spec.reads | spec.writes)
        elif spec.reads or spec.writes:
            self.read_results.note_call(None, spec.reads | spec.writes)
        if arg_deps or order_deps or sc.control:
            dep_calls: set[int] = set(sc.control)
            for d in arg_deps:
                dep_calls |= d._calls
            for d in order_deps:
                dep_calls |= d._calls
            deps: tuple[int, ...] = tuple(sorted(dep_calls))
        else:
            deps = ()
        record = CallRecord(call_id=seq, name=spec.name, issued=self.now(), deps=deps,
                            read_from=tuple(sorted(sc.prefix_reads)) if sc.prefix_reads else ())
        self._records[seq] = record
        site = self._sites[seq] = tracebacks.call_site()
        if generators.TOKENS:
            self.note_generators(seq, site)
        self.schedule.calls.append(record)
        if past:
            # A speculative read: it runs once its arguments are known, before the deferred
            # arms in ``past`` have decided; its result is given out only once they have.
            record.ran_past = tuple(sorted(w._seq for w in past))
            rest = [d for d in order_deps if all(d is not w for w in past)]
            if externals.SPECULATIVE_CALLS:
                with self._lock:
                    self._tentative_reads[seq] = TentativeRead()
                    self._tentable.add(seq)

            def start_read() -> None:
                self._soon(
                    self._check_and_launch, p, spec, fn, call_args, call_kwargs, arg_deps,
                    rest, past,
                )

            self._when_ready(arg_deps + rest, start_read)
        plain_sync = not spec.is_async and seq not in self._stream_paths
        attempt = None
        if spec.speculative and self._tentable and arg_deps and not order_deps and plain_sync \
                and not (wait or mutates or spec.waited_for or held or in_order is not None
                         or sc.spec_depth):
            attempt = self._prepare_attempt(p, spec, fn, call_args, call_kwargs, arg_deps)
        if past:
            pass  # started above
        elif attempt is not None:
            # its answer is kept, or the call made again, once the final arguments are known
            def decide() -> None:
                self._soon(self._decide_attempt, p, spec, fn, call_args, call_kwargs,
                           arg_deps, attempt)

            self._when_ready(arg_deps, decide)
        elif plain_sync and not arg_deps and not order_deps:
            self._launch(p, spec, fn, call_args, call_kwargs, arg_deps)
        elif plain_sync and \
                all(d._state != PENDING for d in arg_deps) and \
                all(d._state != PENDING for d in order_deps):
            # A sync call with nothing to wait for is launched from here, without waking the
            # loop thread (async and streaming calls start as tasks on the loop).
            self._check_and_launch(p, spec, fn, call_args, call_kwargs, arg_deps, order_deps)
        else:
            def ready() -> None:
                self._soon(
                    self._check_and_launch, p, spec, fn, call_args, call_kwargs, arg_deps,
                    order_deps,
                )

            self._when_ready(arg_deps + order_deps, ready)
        if wait or mutates or spec.waited_for or held or in_order is not None \
                or (spec.changes_read_results and not fenced):
            # mutates: the call changes the program's own objects; changes_program_state: its
            # body changes module state the program can read directly; held: it holds an
            # object of the program's that could not be copied; changes_read_results that
            # could not be fenced: the program holds such objects itself; in_order: its
            # output cannot be captured. The program waits.
            if in_order is not None and p._state == PENDING:
                self.wait_for(p, f"external {spec.name} {in_order}: it runs in program order")
            elif type(wait) is str and p._state == PENDING:
                self.wait_for(p, wait)
            return p._force()
        return p

    def _route_output(self) -> None:
        """Route stdout and stderr to per-call captures, once, before the run's first call
        (a program that makes none pays nothing for it)."""
        with self._lock:
            if not self._routed:
                self._routed = 1 if capture.route(self._std_streams) else -1

    def _why_in_order(self, spec: ExternalSpec) -> str | None:
        """Why a call of ``spec``, which prints or uses the terminal, cannot have its output
        captured now (it then runs in program order), or None: it is captured."""
        if spec.in_order_output:
            return ("reads stdin or writes to the terminal below sys.stdout (a file "
                    "descriptor, a child process, redirect_stdout)")
        if self._routed < 0:
            return "prints and sys.stdout or sys.stderr cannot be captured"
        if spec.stream is not None and self.streaming:
            return "prints and streams its answer"
        if not capture.std_streams_are(self._std_streams):
            return "prints while sys.stdout or sys.stderr is redirected"
        if spec.logs and not capture.logging_stays_on_routed_streams():
            return "logs and a logging handler writes to a file or a stream of its own"
        return None

    def _call_info(self, p: Pending, record: CallRecord) -> context.CallInfo:
        return context.CallInfo(
            program_id=self.program_id, thread_id=0, call_id=p._seq, parents=record.deps
        )

    def _in_discarded(self, seq: int) -> bool:
        return any(lo < seq <= hi for lo, hi in self._discarded)

    def _speculable(self, spec: ExternalSpec, order_deps: list[Pending]) -> list[Pending] | None:
        """The deferred arms a reading call may run before (caller holds ``_lock``), or None.

        Only a plain sync read (no writes, no ``mutates``, no change to program state) whose
        every unfinished order dependency is a deferred arm with known writes: an arm that has
        not decided yet may still write nothing. Finished writers and issued writing calls
        are never run past."""
        if spec.writes or spec.waited_for or spec.changed_params or spec.is_async \
                or spec.stream is not None:
            return None
        past = [d for d in order_deps if d._state == PENDING]
        if not past or not all(d._seq in self._arm_blocks for d in past):
            return None
        return past

    def _arm_wrote(self, writer_seq: int, resources: frozenset[str]) -> bool:
        """Whether the deferred arm registered as ``writer_seq`` issued a call that writes
        one of ``resources`` (anywhere in its block, nested blocks included).

        An arm that failed before issuing one changed nothing: plain Python stops at its
        failure, so the read lies in the stretch of program order that meeting the failure
        discards, and making it again would only add a call plain Python never made."""
        lo, hi = self._arm_blocks[writer_seq]
        with self._lock:
            issued = list(self._issued_writes.irange_key(lo, hi, (True, False)))
        return any("*" in ws or not ws.isdisjoint(resources) for _, ws in issued)

    def _confirm_read(self, p: Pending, spec: ExternalSpec, fn: Callable[..., Any], args: Any,
                      kwargs: Any, arg_deps: list[Pending], past: list[Pending], state: int,
                      value: Any, origin: int | None, cap: capture.Capture | None) -> None:
        """A speculative read has run; once the arms it ran past are settled, keep its
        outcome if none of them wrote what it reads (an arm that failed before writing keeps
        it: see ``_arm_wrote``), else make the read again now, after them, where plain Python
        made it. Until then ``p`` stays unfinished, so nothing the program computes or calls
        ever sees a discarded result, and what it printed is written only if it is kept."""
        tentative = self._tentative_reads.get(p._seq)

        def decide() -> None:
            record = self._records[p._seq]
            wrote = tuple(w._seq for w in past if self._arm_wrote(w._seq, spec.reads))
            if not wrote:
                if cap is not None:
                    self._queue_captured(p._seq, cap)
                self._finish(p, state, value, origin)
                return
            if tentative is not None:
                tentative.redone = True
            record.redone_after = wrote
            record.first_attempt = (record.started or 0.0, record.finished or 0.0)
            record.started = record.finished = None
            record.ok = None
            record.error = None
            self._check_and_launch(p, spec, fn, args, kwargs, arg_deps, past)

        if not self._closed:
            try:
                if tentative is not None:
                    self._soon(self._tentative_known, tentative, state, value)
                self._soon(self._when_ready, past, decide)
            except RuntimeError:
                pass  # the run ended meanwhile and closed its loop: nothing waits on ``p``

    # -- speculative calls (runtime/tentative.py) -------------------------------------------------

    def _tentative_known(self, read: TentativeRead, state: int, value: Any) -> None:
        """A speculative read's first attempt has ended (loop thread): the speculative calls
        waiting for its result may start."""
        with self._lock:
            read.known = True
            read.failed = state != DONE
            read.value = value
            waiters, read.waiters = read.waiters, []
        for waiter in waiters:
            waiter()

    def _prepare_attempt(self, p: Pending, spec: ExternalSpec, fn: Callable[..., Any],
                         args: Any, kwargs: Any, arg_deps: list[Pending]) -> _Attempt | None:
        """Set up the attempt of a speculative call on tentative arguments, or None when its
        arguments are not built from any speculative read. The attempt starts once every
        read's first result is known and every other value they need has finished."""
        pending = [d for d in arg_deps if d._state == PENDING]
        with self._lock:
            reads, others = leaves(pending, self._recipes, self._tentative_reads)
            if not reads:
                return None
            attempt = _Attempt(reads)
            unknown = [self._tentative_reads[r._seq] for r in reads
                       if not self._tentative_reads[r._seq].known]
            remaining = [len(unknown) + 1]

            def one_known() -> None:
                with self._lock:
                    remaining[0] -= 1
                    go = remaining[0] == 0
                if go and not self._closed:
                    self._soon(self._start_attempt, p, spec, fn, args, kwargs, attempt)

            for read in unknown:
                read.waiters.append(one_known)
        self._when_ready(others, one_known)
        return attempt

    def _start_attempt(self, p: Pending, spec: ExternalSpec, fn: Callable[..., Any],
                       args: Any, kwargs: Any, attempt: _Attempt) -> None:
        """Make the speculative call on its tentative arguments (loop thread), unless it has
        been decided meanwhile, an argument has no tentative value, or the function is at its
        ``max_concurrency`` (the attempt is then dropped: the call is made as without it)."""
        if attempt.state != _WAITING:
            return
        try:
            with self._lock:
                recipes, reads = dict(self._recipes), dict(self._tentative_reads)
            computed: dict[int, Any] = {}
            real_args = fill_tentatively(args, recipes, reads, computed)
            real_kwargs = fill_tentatively(kwargs, recipes, reads, computed)
        except NotTentative:
            attempt.state = _DROPPED
            return
        with self._lock:
            running = self._running.get(id(spec), 0)
            if running >= spec.max_concurrency:
                attempt.state = _DROPPED
                return
            self._running[id(spec)] = running + 1
        attempt.state = _RUNNING
        attempt.arguments = (real_args, real_kwargs)
        record = self._records[p._seq]
        record.tentative_on = tuple(sorted(r._seq for r in attempt.reads))
        info = self._call_info(p, record)
        cap = capture.Capture(p._seq, None, self._outer_capture) \
            if self._routed > 0 and p._seq not in self._uncaptured else None

        def job() -> Callable[[], Any] | None:
            attempt.started = self.now()
            token = context._current_call.set(info)
            previous = capture.begin_thread(cap) if cap is not None else None
            try:
                value = fn(*real_args, **real_kwargs)
            except BaseException as exc:  # noqa: BLE001 - the call's failure is its value
                attempt.outcome = (FAILED, exc, error_text(exc))
            else:
                attempt.outcome = (DONE, value, None)
            finally:
                context._current_call.reset(token)
                if cap is not None:
                    capture.end_thread(cap, previous)
            attempt.finished = self.now()
            attempt.cap = cap if cap is not None and (cap.ops or cap.direct) else None
            with self._lock:
                held = self._held_calls.get(id(spec))
                nxt = held.popleft() if held else None
                if nxt is None:
                    self._running[id(spec)] -= 1
            if not self._closed:
                try:
                    self._soon(self._attempt_ended, p, attempt)
                except RuntimeError:
                    pass  # the run ended meanwhile: the answer was not needed
            return nxt

        self._workers.submit(job)

    def _attempt_ended(self, p: Pending, attempt: _Attempt) -> None:
        """The attempt's call has returned (loop thread): its answer becomes the call's if
        it was kept meanwhile; a discarded one's times go to the record."""
        attempt.state = _ENDED
        if attempt.verdict is True:
            self._keep_attempt(p, attempt)
        elif attempt.verdict is False:
            record = self._records[p._seq]
            record.first_attempt = (attempt.started or 0.0, attempt.finished or 0.0)

    def _decide_attempt(self, p: Pending, spec: ExternalSpec, fn: Callable[..., Any],
                        args: Any, kwargs: Any, arg_deps: list[Pending],
                        attempt: _Attempt) -> None:
        """The speculative call's final arguments are known (loop thread): keep the attempt's
        answer if the arguments did not fail and every read it used was kept, or the final
        arguments are the ones it was made on (``same_arguments``); otherwise discard it and
        go on as without the option, making the call on the final arguments."""
        record = self._records[p._seq]
        launched = attempt.state in (_RUNNING, _ENDED)
        if attempt.state == _WAITING:
            attempt.state = _DROPPED
        if launched and nested_failure(arg_deps) is None \
                and self._confirmed(attempt, args, kwargs):
            self._note_deps(record, arg_deps, [])
            record.tentative_kept = True
            attempt.verdict = True
            if attempt.state == _ENDED:
                self._keep_attempt(p, attempt)
            return
        if launched:
            attempt.verdict = False
            record.tentative_kept = False
            record.first_attempt = (attempt.started or 0.0, attempt.finished or self.now())
        self._check_and_launch(p, spec, fn, args, kwargs, arg_deps, [])

    def _confirmed(self, attempt: _Attempt, args: Any, kwargs: Any) -> bool:
        """Every read the attempt used kept its first result, or was made again and the call's
        final arguments are the very ones the attempt was made on."""
        if any(r._state != DONE for r in attempt.reads):
            return False
        if not any(self._tentative_reads[r._seq].redone for r in attempt.reads):
            return True  # each gave out the very result the arguments were computed from
        # made again: even the same object may hold something else now (changed in place
        # by the arm that wrote), so only the arguments can tell
        try:
            final = fill_tentatively((args, kwargs), {}, {}, {})  # all finished by now
        except NotTentative:
            return False
        return same_arguments(attempt.arguments, final)

    def _keep_attempt(self, p: Pending, attempt: _Attempt) -> None:
        record = self._records[p._seq]
        state, value, error = attempt.outcome
        record.started, record.finished = attempt.started, attempt.finished
        record.ok = state == DONE
        record.error = error
        if attempt.cap is not None:
            self._queue_captured(p._seq, attempt.cap)
        self._finish(p, state, value, None if state == DONE else p._seq)

    def _check_and_launch(
        self, p: Pending, spec: ExternalSpec, fn: Callable[..., Any], args: Any, kwargs: Any,
        arg_deps: list[Pending], order_deps: list[Pending],
        past: list[Pending] | None = None,
    ) -> None:
        record = self._records[p._seq]
        self._note_deps(record, arg_deps, order_deps)
        first = nested_failure(arg_deps) if arg_deps else None
        if first is not None:
            record.cancelled = True
            self._finish(p, FAILED, first._value, first._origin)
            return
        for d in order_deps:
            if d._state != FAILED or d._speculative:
                continue  # a name a branch left unbound raises only where it is used
            if d._origin in self._handled or self._in_discarded(d._origin):
                if self._in_discarded(p._seq):
                    record.cancelled = True
                    self._finish(
                        p, FAILED, CancelledCall(f"{spec.name} was never reached"), p._seq
                    )
                    return
                continue
            # An earlier call failed and the program has not met that failure yet: hold this
            # call until it does, then it is either cancelled or released.
            with self._lock:
                self._parked.append(
                    lambda: self._check_and_launch(p, spec, fn, args, kwargs, arg_deps,
                                                   order_deps, past)
                )
            return
        then = None
        if past:
            def then(state: int, value: Any, origin: int | None,
                     cap: capture.Capture | None) -> None:
                self._confirm_read(p, spec, fn, args, kwargs, arg_deps, past, state, value,
                                   origin, cap)
        self._launch(p, spec, fn, args, kwargs, arg_deps, then)

    @staticmethod
    def _note_deps(record: CallRecord, arg_deps: list[Pending],
                   order_deps: list[Pending]) -> None:
        dep_calls: set[int] = set(record.deps)
        for d in arg_deps:
            dep_calls |= d._calls
        for d in order_deps:
            dep_calls |= d._calls
        dep_calls.discard(record.call_id)
        record.deps = tuple(sorted(dep_calls))

    def _launch(
        self, p: Pending, spec: ExternalSpec, fn: Callable[..., Any], args: Any, kwargs: Any,
        arg_deps: list[Pending],
        then: Callable[[int, Any, int | None, capture.Capture | None], None] | None = None,
    ) -> None:
        """Start a call whose inputs are all there: sync ones, streamed or not, on a worker
        thread (at most ``max_concurrency`` at once, the rest in order after them), async ones
        as loop tasks. ``then`` (sync calls only) takes the outcome instead of ``p``."""
        if spec.is_async:
            self._loop.create_task(self._run_call_task(p, spec, fn, args, kwargs, arg_deps))
            return

        def job() -> Callable[[], Any] | None:
            return self._run_sync(p, spec, fn, args, kwargs, arg_deps, then)

        with self._lock:
            key = id(spec)
            running = self._running.get(key, 0)
            if running >= spec.max_concurrency:
                self._held_calls.setdefault(key, deque()).append(job)
                return
            self._running[key] = running + 1
        self._workers.submit(job)

    def _run_sync(self, p: Pending, spec: ExternalSpec, fn: Callable[..., Any], args: Any,
                  kwargs: Any, arg_deps: list[Pending],
                  then: Callable[[int, Any, int | None, capture.Capture | None], None]
                  | None = None,
                  ) -> Callable[[], Any] | None:
        """Run a sync external on a worker thread and record its result there (or hand it to
        ``then``); return the call of the same function held back for its ``max_concurrency``,
        if any, for this thread to run next (handing it to another thread would wake that one
        for nothing)."""
        record = self._records[p._seq]
        info = self._call_info(p, record)
        streamed = p._seq in self._stream_paths
        # what it writes to stdout and stderr is kept for its place in program order, unless
        # it runs in program order (or streams: output after it may go ahead of its end)
        cap = capture.Capture(p._seq, self._first_write if then is None else None,
                              self._outer_capture) \
            if self._routed > 0 and not streamed and p._seq not in self._uncaptured else None
        try:
            if not arg_deps:
                real_args, real_kwargs = args, kwargs  # nothing pending was passed
            else:
                real_args, real_kwargs = _real_arguments(spec, args, kwargs)
            record.started = self.now()
            if streamed:
                value = self._stream_call(p, record, info, spec, real_args, real_kwargs)
            else:
                token = context._current_call.set(info)
                previous = capture.begin_thread(cap) if cap is not None else None
                try:
                    value = fn(*real_args, **real_kwargs)
                finally:
                    context._current_call.reset(token)
                    if cap is not None:
                        capture.end_thread(cap, previous)
        except BaseException as exc:  # noqa: BLE001 - the call's failure is its value
            record.finished = self.now()
            record.ok = False
            record.error = error_text(exc)
            outcome, value, origin = FAILED, exc, p._seq
        else:
            record.finished = self.now()
            record.ok = True
            outcome, origin = DONE, None
        with self._lock:
            held = self._held_calls.get(id(spec))
            nxt = held.popleft() if held else None
            if nxt is None:
                self._running[id(spec)] -= 1
        if cap is not None and not cap.ops and not cap.direct:
            cap = None
        if then is not None:
            then(outcome, value, origin, cap)
            return nxt
        if cap is not None:
            self._queue_captured(p._seq, cap)
        self._finish_on_worker(p, outcome, value, origin)
        return nxt

    def _queue_captured(self, seq: int, cap: capture.Capture) -> None:
        """Queue what call ``seq`` wrote at its place, before the call counts as finished (so
        output after it, held back by it until then, cannot go first); dropped if the program
        has met an earlier failure that discards the call. Nothing is left to queue of a call
        that wrote through."""
        with self._out_lock:
            self._captures.pop(seq, None)
            if cap.ops and not self._in_discarded(seq):
                self._outq.add(_CapturedOutput(seq, cap))

    def _first_write(self, cap: capture.Capture) -> None:
        """A running call writes for the first time (on its thread): from now on its turn may
        come while it runs; it may have come already."""
        with self._out_lock:
            if not cap.open:
                return
            self._captures[cap.seq] = cap
            self._write_through_head()

    def _write_through_head(self) -> None:
        """The earliest running call that has written something writes through if its turn
        has come: nothing before it in program order is unfinished, failed or unwritten (caller
        holds ``_out_lock``). Its output then lands where plain Python writes it, and as it
        happens, while output after it still waits for it to finish."""
        seq = min(self._captures)
        if self._streaming_entry is not None or self._outq and self._outq[0].seq < seq:
            return
        with self._lock:
            if any(s < seq for s in self._failures) or self._in_discarded(seq) \
                    or self._holds_output(seq):
                return
        self._captures.pop(seq).write_through()

    def _finish_on_worker(self, p: Pending, state: int, value: Any, origin: int | None) -> None:
        """Record a result on the worker thread that computed it; what waits on it (callbacks,
        held-back output) runs on the loop thread, woken once for all results recorded since."""
        with self._lock:
            if p._callbacks:  # before the value shows as finished to the program thread
                self._handed_off.add(p._seq)
            callbacks = self._settle(p, state, value, origin)
            wake = bool(callbacks) or bool(self._outq) or self._streaming_entry is not None \
                or bool(self._captures)
            if wake:
                self._handoff.append(callbacks)
                wake = not self._handoff_scheduled
                self._handoff_scheduled = True
        if wake and not self._closed:
            try:
                self._soon(self._run_handoff)
            except RuntimeError:
                if not self._closed:
                    raise
                # The run closed meanwhile (its loop refuses work): nothing waits any more.

    def _run_handoff(self) -> None:
        with self._lock:
            batches = self._handoff
            self._handoff = []
            self._handoff_scheduled = False
            seqs = self._handed_off
            if seqs:
                self._handed_off = set()
        for callbacks in batches:
            for cb in callbacks:
                cb()
        if seqs and self._handoff_waiters:
            with self._cond:
                self._cond.notify_all()
        if self._outq or self._streaming_entry is not None or self._captures:
            with self._out_lock:
                self._pump()

    async def _run_call_task(
        self, p: Pending, spec: ExternalSpec, fn: Callable[..., Any], args: Any, kwargs: Any,
        arg_deps: list[Pending],
    ) -> None:
        """:meth:`_run_call`, whose unexpected error (not the call's own, which is its value)
        breaks the run (:meth:`_loop_broke`) instead of staying in the task unseen."""
        import asyncio

        try:
            await self._run_call(p, spec, fn, args, kwargs, arg_deps)
        except asyncio.CancelledError:
            raise  # the run's end cancels its tasks (_shutdown_loop)
        except BaseException as exc:  # noqa: BLE001 - reported to the program thread
            self._loop_broke(exc)

    async def _run_call(
        self, p: Pending, spec: ExternalSpec, fn: Callable[..., Any], args: Any, kwargs: Any,
        arg_deps: list[Pending],
    ) -> None:
        """Run an async external as a task on the loop, at most ``max_concurrency`` at once."""
        sem = self._sems.get(spec)
        if sem is None:
            import asyncio

            sem = self._sems[spec] = asyncio.Semaphore(spec.max_concurrency)
        record = self._records[p._seq]
        info = self._call_info(p, record)
        cap = capture.Capture(p._seq, self._first_write, self._outer_capture) \
            if self._routed > 0 and p._seq not in self._uncaptured else None
        async with sem:
            real_args, real_kwargs = _real_arguments(spec, args, kwargs)
            record.started = self.now()
            try:
                token = context._current_call.set(info)
                # the task's own context: other tasks on the loop thread write elsewhere
                cap_token = capture.begin_task(cap) if cap is not None else None
                try:
                    value = await fn(*real_args, **real_kwargs)
                finally:
                    context._current_call.reset(token)
                    if cap is not None:
                        capture.end_task(cap, cap_token)
            except BaseException as exc:
                record.finished = self.now()
                record.ok = False
                record.error = error_text(exc)
                if cap is not None and (cap.ops or cap.direct):
                    self._queue_captured(p._seq, cap)
                self._finish(p, FAILED, exc, p._seq)
                return
        record.finished = self.now()
        record.ok = True
        if cap is not None and (cap.ops or cap.direct):
            self._queue_captured(p._seq, cap)
        self._finish(p, DONE, value, None)

    def _stream_call(self, p: Pending, record: CallRecord, info: context.CallInfo,
                     spec: ExternalSpec, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Run a streaming external on a worker thread: feed its pieces to the call's stream.

        The result is the joined text, or, for a spec with a stream_path, the object the
        producer returns (the text then sits inside it)."""
        stream = self._stream_paths[p._seq][0]
        assert spec.stream is not None
        token = context._current_call.set(info)
        try:
            pieces = spec.stream(*args, **kwargs)
            while True:
                try:
                    piece = next(pieces)
                except StopIteration as end:
                    result = end.value
                    break
                if piece is RESTART:
                    stream.restart()
                    continue
                stream.feed(piece)
                if record.first_token is None and piece:
                    record.first_token = self.now()
                    self._stream_started()
            if spec.stream_path:
                self._end_of_inner_stream(stream, result, spec.stream_path)
            else:
                stream.finish()
        except BaseException:
            if not stream.finished:
                stream.finish(failed=True)
            raise
        finally:
            context._current_call.reset(token)
        return result if spec.stream_path else stream.text()

    @staticmethod
    def _end_of_inner_stream(stream: TextStream, result: Any,
                             path: tuple[tuple[str, Any], ...]) -> None:
        """End the stream of a text inside ``result`` so that it holds exactly that text.

        The producer may have streamed nothing (a request it sends whole) or the value there
        may not be text at all (an answer with no content): the rest comes as one last piece,
        or, when the value is not a continuation of the text, the stream ends as failed, which
        sends every view of it to the finished value itself."""
        value: Any = result
        try:
            for kind, key in path:
                value = getattr(value, key) if kind == "." else value[key]
        except Exception:
            value = None
        text = stream.text()
        if type(value) is str and value.startswith(text):
            stream.feed(value[len(text):])
            stream.finish()
        else:
            stream.finish(failed=True)

    def _stream_started(self) -> None:
        """Output held back only by calls that are now streaming may be written."""
        if self._outq or self._streaming_entry is not None or self._captures:
            with self._out_lock:
                self._pump()

    # -- resolution (loop thread, or program thread for values computed in place) ---------------

    def _finish(self, p: Pending, state: int, value: Any, origin: int | None) -> None:
        if state == DONE and type(value) in PLAIN_CONTAINERS:
            # A list the program built (a branch's selection, a function's result) may hold
            # values still being computed: ``p`` is done once they are, so whatever takes its
            # value (a call's arguments, a derived value, a print) finds them finished.
            inner: list[Pending] = []
            collect_deep(value, inner)
            waiting = [q for q in inner if q._state == PENDING]
            if waiting:
                self._when_ready(waiting, lambda: self._finish(p, state, value, origin))
                return
            if not p._speculative:
                # an item an if-converted arm computed and that failed: plain Python raised
                # it in the arm, so the value the arm built fails with it
                bad = [q for q in inner if q._state == FAILED and q._speculative
                       and q._label != MAYBE_UNBOUND]  # a name left unbound: raised where used
                if bad:
                    state, value = FAILED, min(bad, key=lambda q: q._seq)._value
                    origin = p._seq
        elif state == FAILED and not p._speculative and origin in self._spec_origins:
            # the failure of a speculative value (an arm's ``10 / (r - r)``) that the chosen
            # arm's selection or a value built from it takes: no one recorded it, so the
            # first real value that takes it does, or it would vanish with its output
            origin = p._seq
        if state == DONE and self._generators:
            self._generators.pop(p._seq, None)  # nothing to end: it did not fail
        with self._lock:
            callbacks = self._settle(p, state, value, origin)
        self._run_callbacks(callbacks)

    def _run_callbacks(self, callbacks: list[Callable[[], None]]) -> None:
        """Run what waited on a value just finished, then write the output that may now go.

        A callback often finishes another value (in ``x = x + ask(i)`` repeated 5000 times
        each sum's ``ready`` finishes the next sum), so running that value's callbacks from
        inside it nested a few frames per link and a long chain ended in ``RecursionError``.
        While this thread runs callbacks, the callbacks of a value that one of them finishes
        are queued instead, and run as soon as that callback returns, before the rest of the
        earlier list (those queued by one callback in the order it finished their values):
        the order nesting gave, at a constant depth."""
        tramp = self._trampoline
        stack: list[Any] | None = getattr(tramp, "stack", None)
        work = iter((*callbacks, self._pump_ready_output))
        if stack is not None:
            stack.append(work)
            return
        stack = tramp.stack = [work]
        try:
            while stack:
                top = len(stack)
                cb = next(stack[-1], None)
                if cb is None:
                    stack.pop()
                    continue
                cb()
                if len(stack) > top + 1:  # the first value it finished goes first
                    stack[top:] = stack[top:][::-1]
        finally:
            tramp.stack = None

    def _pump_ready_output(self) -> None:
        if self._outq or self._streaming_entry is not None or self._captures:
            with self._out_lock:
                self._pump()

    def _settle(self, p: Pending, state: int, value: Any,
                origin: int | None) -> list[Callable[[], None]]:
        """Give ``p`` its outcome and wake waiters (caller holds ``_lock``); returns the
        callbacks to run."""
        object.__setattr__(p, "_value", value)
        object.__setattr__(p, "_origin", origin)
        object.__setattr__(p, "_state", state)
        callbacks = p._callbacks
        object.__setattr__(p, "_callbacks", [])
        if self._live.pop(p._seq, None) is not None:
            self._live_order.discard(p._seq)
            if not self._live:
                context.LIVE.discard(id(self))
        if self._stream_paths:
            self._stream_paths.pop(p._seq, None)
        for writers in self._writers.values():
            writers.pop(p._seq, None)
        if state == FAILED and origin == p._seq and p._speculative:
            self._spec_origins.add(origin)
        if state == FAILED and origin == p._seq and not p._speculative:
            held = catching.holder(self._catching, origin) if self._catching else None
            if self._in_discarded(origin):
                self._handled.add(origin)
            elif held is not None:
                held.failures[origin] = value
            else:
                self._failures[origin] = value
        if self._cond._waiters and (  # type: ignore[attr-defined]
                state == FAILED or p._seq in self._watched):
            self._cond.notify_all()
        return callbacks

    # -- waiting and failures (program thread) ----------------------------------------------------

    def _location(self) -> str:
        frame = sys._getframe(2)
        from opportune.compiler.registry import is_compiled_code

        while frame is not None:
            if is_compiled_code(frame.f_code):
                return f"{frame.f_code.co_filename}:{frame.f_lineno}"
            frame = frame.f_back  # type: ignore[assignment]
        return "<unknown>"

    def note_forced(self, p: Pending) -> None:
        if p._calls:
            sc = getattr(context._local, "scope", None)
            if sc is None:
                if threading.get_ident() != self._program_ident:
                    return  # the loop or a worker filling in a value: no decision of the program
                sc = self._root
            if not p._calls <= sc.control:
                sc.control |= p._calls

    def note_prefix_read(self, p: Pending) -> None:
        """The program went on with part of ``p``'s streamed text (an item of its lines): the
        calls it issues from now on record that they followed that text."""
        if p._calls:
            sc = self.scope()
            if not p._calls <= sc.prefix_reads:
                sc.prefix_reads = sc.prefix_reads | p._calls

    def _note_call_reads(self, call: Pending, arguments: list[Pending]) -> None:
        """``call`` gets the values of ``arguments`` (results of earlier calls that may be
        lists, dicts or objects) themselves when it starts, and reads them until it ends.
        Finished calls are let go of in bulk, not by a callback each: a callback would wake
        the loop thread when every such call ends."""
        with self._lock:
            table = self._call_args
            if len(table) >= self._call_args_limit:
                for seq in [s for s, calls in table.items()
                            if all(c._state != PENDING for c in calls)]:
                    del table[seq]
                self._call_args_limit = max(1024, 2 * len(table))
            for q in arguments:
                table.setdefault(q._seq, []).append(call)

    def before_changing_argument(self, p: Pending) -> None:
        """The program is about to change ``p``'s value in place (``reply["content"] = ...``)
        while calls that were handed ``p`` (``chat(history)`` with ``reply`` in it) still
        run or have yet to start: plain Python made them before this change, so they must not
        see it. Wait for them. Changes to objects inside the value, made through other names,
        are not seen here."""
        while True:
            with self._lock:
                calls = [c for c in self._call_args.get(p._seq, ()) if c._state == PENDING]
                if not calls:
                    self._call_args.pop(p._seq, None)
            if not calls:
                return
            for c in calls:
                if c._state == PENDING:
                    self.wait_for(c, "the program changes a result that a call made earlier "
                                     "was given and has yet to read")

    def after_handoff(self, p: Pending) -> None:
        """``p`` finished on a worker and the values derived from it (``t = msg.content``
        recorded while ``msg`` was pending) are computed by the handoff to the loop thread,
        which may not have run yet: wait for it before the program uses ``p``'s value, which it
        may change (``msg.content = t.strip()``), or ``t`` would be read from the changed
        object where plain Python read it before the change. A value that cannot change (text,
        a number) needs no wait: callers skip it, so a sum over answers never waits here."""
        if threading.current_thread() is self._loop_thread:
            return  # the handoff itself, or a callback in it: runs in order already
        with self._cond:
            self._handoff_waiters += 1
            try:
                while p._seq in self._handed_off and not self._closed \
                        and not self._loop_released:
                    if self._loop_error is not None:
                        self._check_loop()
                    self._cond.wait(0.05)
            finally:
                self._handoff_waiters -= 1

    def wait_for(self, p: Pending, reason: str = "the program needed this value") -> None:
        if p._spec is not None:
            self.confirm(p)  # a speculating arm that needs it: made now, as before
        started = self.now()
        if threading.current_thread() is self._loop_thread:
            raise RuntimeError(
                f"opportune: {p._label} was needed on the scheduler thread, which must never "
                "wait; this is a bug in opportune, please report it with the program"
            )
        earlier_failure = None
        with self._cond:
            while p._state == PENDING:
                if self._closed:
                    raise RuntimeClosed()
                if self._loop_error is not None:
                    self._check_loop()
                earlier_failure = self._failure_before(p._seq)
                if earlier_failure is not None:
                    break
                self._wait_on(p._seq)
        if earlier_failure is not None:
            # Plain Python would have stopped at that failure before reaching this value (a
            # write held back by it, say): meet it now.
            self._wait_before(earlier_failure, reason)
            first = self._earliest_failure(0, earlier_failure)
            if first is not None:
                self._check_outer(first)
                self._raise(self._handle(first), first)
        if self.explain:
            self.schedule.waits.append(
                WaitRecord(started, self.now(), reason, self._location(), tuple(sorted(p._calls)))
            )

    def _first_blocking(self, lo: float, hi: float) -> Pending | None:
        """The earliest unfinished value in [lo, hi) that must finish before a failure can be
        raised or an effect can happen (caller holds ``_lock``).

        Values issued after an unhandled failure never matter: plain Python stopped there.
        """
        limit = hi
        for s in self._failures:
            if lo <= s < limit:
                limit = s
        anc = self.scope().ancestors
        for s in self._live_order.irange(lo, limit, (True, False)):
            if s not in anc:
                return self._live[s]
        return None

    def _wait_range(self, lo: float, hi: float, reason: str) -> None:
        started = None
        waited: set[int] = set()
        with self._cond:
            while True:
                q = self._first_blocking(lo, hi)
                if q is None:
                    break
                if started is None:
                    started = self.now()
                if self._closed:
                    raise RuntimeClosed()
                if self._loop_error is not None:
                    self._check_loop()
                waited |= q._calls
                self._wait_on(q._seq)
        if started is not None and self.explain:
            self.schedule.waits.append(
                WaitRecord(started, self.now(), reason, self._location(), tuple(sorted(waited)))
            )

    def _wait_on(self, seq: int) -> None:
        """Wait on ``_cond`` (held) until the value ``seq`` settles or any value fails.

        With idle work waiting (``idle_work``), wait at most ``IDLE_AFTER_S``; if nothing
        settled by then (a call that takes time, not one that returns at once), do one piece
        of it, without the lock, and return: the caller looks at the value again. Doing it at
        once would hold the interpreter lock while the value is about to be delivered."""
        watched = self._watched
        watched[seq] = watched.get(seq, 0) + 1
        try:
            idle = self.idle_work
            if idle is None or not idle.ready():
                self._cond.wait()
            elif not self._cond.wait(IDLE_AFTER_S):
                self._lock.release()
                try:
                    idle.run_one()
                finally:
                    self._lock.acquire()
        finally:
            if watched[seq] == 1:
                del watched[seq]
            else:
                watched[seq] -= 1

    def _failure_before(self, seq: int) -> int | None:
        """An unhandled failure earlier than ``seq`` in this scope's view (caller holds lock)."""
        lo = self.scope().lo if self.scope() is not self._root else 0
        found = [s for s in self._failures if lo <= s < seq]
        return min(found) if found else None

    def _wait_before(self, upto: float, reason: str) -> None:
        self._wait_range(0, min(upto, self.scope().next), reason)

    def _earliest_failure(self, lo: float, hi: float) -> int | None:
        with self._lock:
            candidates = [s for s in self._failures if lo <= s <= hi]
        return min(candidates) if candidates else None

    def note_generators(self, seq: int, site: tracebacks.Site) -> None:
        """Remember the compiled generators running at value ``seq`` (see _handle)."""
        found = generators.running(site)
        if found:
            self._generators[seq] = found

    def _handle(self, origin: int) -> BaseException:
        """The program meets the failure of call ``origin``: forget everything after it."""
        upto = self.scope().next - 1
        # The output lock is held across both steps: between forgetting the failure and dropping
        # the output queued after it, a finishing call on the loop thread would otherwise see
        # nothing blocking that output and write it.
        with self._out_lock:
            with self._lock:
                error = self._failures.pop(origin)
                self._handled.add(origin)
                self._discarded.append((origin, upto))
                for s in [s for s in self._failures if origin < s <= upto]:
                    self._failures.pop(s)
                    self._handled.add(s)
                parked = self._parked
                self._parked = []
            for e in [e for e in self._outq if origin < e.seq <= upto]:
                self._outq.remove(e)
                self._unwatch(e)
        self.scope().met = (error, origin, next(self._ticks))
        ended = self._generators.pop(origin, None)
        if ended:
            # plain Python raised inside them: those not running now are over
            generators.end_suspended(ended)
        for resume in parked:
            self._soon(resume)
        return error

    def _raise(self, error: BaseException, origin: int, inside_try: bool = False) -> Any:
        if not inside_try and self._try_marks and origin < self._try_marks[-1]:
            raise EscapingFailure(error, origin)
        raise error

    def _check_outer(self, first: int) -> None:
        sc = self.scope()
        if sc is not self._root and first < sc.lo:
            raise OuterFailure(self._failures.get(first, RuntimeError("failure")), first)

    def raise_failure(self, p: Pending) -> Any:
        """Raise ``p``'s failure, or an earlier one, as plain Python would have met it."""
        if self.scope().spec_depth:
            raise SpeculativeFailure(p)
        origin = p._origin
        assert origin is not None
        if p._speculative and origin == p._seq and p._label == MAYBE_UNBOUND:
            # a name the taken branch never bound: the error belongs where it is used
            raise p._value
        self._wait_before(origin, "an earlier call might have failed first")
        first = self._earliest_failure(0, origin)
        if first is not None:
            self._check_outer(first)
        elif self.scope() is not self._root and origin < self.scope().lo:
            raise OuterFailure(p._value, origin)
        if first is None:
            # Met before and handled; plain Python could not reach this value at all, so the
            # closest faithful behaviour is to raise the same error again.
            return self._raise(p._value, origin)
        error = self._handle(first)
        return self._raise(error, first)

    def sync_point(self, reason: str) -> None:
        """Wait until everything issued so far has finished and its output is written."""
        now = self.scope().next
        self._wait_before(now, reason)
        self._check_loop()
        for pumped in (False, True):
            first = self._earliest_failure(0, now)
            if first is not None:
                self._check_outer(first)
                error = self._handle(first)
                self._raise(error, first)
            if pumped:
                return
            with self._out_lock:
                self._pump(force_all=True)
            if not self._failures:
                return
            # writing a queued print raised (_print_failed): the program meets that now

    def in_program_order(self, reason: str) -> None:
        """Before an effect the program makes itself (library code that may write, a print
        to a file): what comes before it must be done and written first (:meth:`sync_point`).

        With nothing live or queued, output may still be being written: the loop thread takes
        an entry off the queue, then writes its text and then its end under ``_out_lock``, so
        an effect that went ahead on seeing the queue empty could land between the two (an
        ``ExitStack`` callback's ``sys.stdout.write`` before a print's newline, p420). Taking
        the lock waits for that write to end."""
        if self._live or self._outq or self._failures or self._streaming_entry is not None:
            self.sync_point(reason)
            return
        with self._out_lock:
            pass

    def try_enter(self, guarding: bool = True) -> int:
        """Entering a ``try`` or ``with`` body; ``guarding`` unless it is a ``with`` whose
        managers are all inert (see Scope.guard_marks)."""
        sc = self.scope()
        sc.try_marks.append(sc.next)
        sc.try_guards.append(guarding)
        if guarding:
            sc.guard_marks.append(sc.next)
            context.GUARD_OPEN.append(0)
        return sc.next

    def journal_needed(self, mark: int) -> bool:
        """Whether a call issued in the ``try`` body that began at ``mark`` may still fail."""
        if self._live_order and self._live_order[-1] >= mark:
            return True
        return any(s >= mark for s in self._failures)

    def keep(self, mark: int, name: str, old: Any) -> None:
        self._journal.setdefault(mark, []).append(
            (self.scope().next, name, old, next(self._ticks)))

    def rollback(self, mark: int, handled: BaseException | None) -> dict[str, Any]:
        """The names to put back as a handler of the ``try`` that began at ``mark`` starts."""
        sc = self.scope()
        entries = self._journal.pop(mark, ())
        if sc.parked is not None and sc.parked[0] == mark:
            entries, sc.parked = sc.parked[1], None
        if sc.left:
            # the handler has the failure now: its ``finally`` must not put names back again
            for m in [m for m in sc.left if m >= mark]:
                del sc.left[m]
        met = sc.met
        if not entries or met is None or met[0] is not handled:
            return {}
        return _before_met(entries, met)

    def restore(self, mark: int) -> dict[str, Any]:
        """The names to put back right after a ``with`` body that began at ``mark`` (its
        manager suppressed the failure) or as its ``finally`` starts: those the body rebound
        after the failing call, as plain Python stopped there."""
        sc = self.scope()
        if not sc.left:
            return {}
        found = sc.left.pop(mark, None)
        if found is None:
            return {}
        if sc.parked is not None and sc.parked[0] == mark:
            sc.parked = None
        return _before_met(found[1], found[0])

    def try_exit(self, mark: int) -> None:
        """Leaving a ``try`` or ``with`` body: calls issued inside it must have raised by now,
        if at all; the scope stops guarding changes once no guarding body is open."""
        sc = self.scope()
        self._close_body(sc, mark)
        self._settle_body(sc, mark)

    def _close_body(self, sc: Scope, mark: int) -> None:
        """The body that began at ``mark`` is left: take its marks off the scope."""
        marks = sc.try_marks
        for i in range(len(marks) - 1, -1, -1):
            if marks[i] == mark:
                del marks[i]
                if sc.try_guards.pop(i):
                    if context.GUARD_OPEN:
                        context.GUARD_OPEN.pop()
                    guards = sc.guard_marks
                    for j in range(len(guards) - 1, -1, -1):
                        if guards[j] == mark:
                            del guards[j]
                            break
                break
        if sc.guarding and not sc.guard_marks:
            sc.guarding = False
            _unguard(id(sc))

    def _settle_body(self, sc: Scope, mark: int) -> None:
        """Wait for the calls of the body that began at ``mark`` and raise the earliest
        failure among them, inside it (rule 2 of *Exceptions*)."""
        now = sc.next
        self._wait_range(mark, now, "leaving a try block: its calls may raise inside it")
        if self._outq:
            self._render_prints(mark, now)
        first = self._earliest_failure(mark, now)
        # The body's journal goes with the exception that leaves it, raised here or already
        # on its way (a failure an inner ``try`` raised and did not handle): this ``try``'s
        # handlers come next and may need it. One per scope: once they are passed, no one
        # will ask for it. Nested bodies entered with nothing issued in between share a mark
        # and so a journal: the inner one parked it already.
        entries = self._journal.pop(mark, None)
        if first is not None:
            if entries:
                sc.parked = (mark, entries)
            error = self._handle(first)
            if entries:
                sc.left[mark] = (sc.met, entries)  # type: ignore[assignment]
            raise error
        leaving = sys.exc_info()[1]
        if leaving is None:
            sc.parked = None
        elif entries:
            sc.parked = (mark, entries)
        met = sc.met
        if leaving is not None and met is not None and met[0] is leaving and met[1] >= mark:
            # a failure of a call issued in this body, met inside it: the exception leaving
            if entries:
                sc.left[mark] = (met, entries)
        elif sc.left:
            sc.left.pop(mark, None)

    def try_outcome(self, mark: int, ok: bool, kinds: Callable[[], Any],
                    reads: bool = False) -> Any:
        """Leaving the body of a ``try`` turned into a branch (compiler/tries.py), whose
        expression was evaluated (``ok``) or raised. Raised: as :meth:`try_exit`. Evaluated:
        None if every value the body made has finished without failing; else, without
        waiting, a pending outcome: the exception the handler catches (``kinds()``, the
        classes its clause names), None if none failed, or failed with the earliest failure
        when the handler does not catch it (runtime/catching.py). A handler that reads its
        exception (``reads``) where the class may run code of the program's then waits, as
        :meth:`try_exit` does: that code runs in the handler at the moment plain Python ran
        it, not once the program has gone on (``catching.runs_programs_code``)."""
        sc = self.scope()
        if not ok:
            self.try_exit(mark)
            return None
        self._close_body(sc, mark)
        end = sc.next
        self._journal.pop(mark, None)  # only helper names are bound in such a body
        if sys.exc_info()[1] is None:
            sc.parked = None
        if sc.left:
            sc.left.pop(mark, None)
        anc = sc.ancestors
        with self._lock:
            live = [s for s in self._live_order.irange(mark, end, (True, False))
                    if s not in anc]
            failed = any(mark <= s < end for s in self._failures)
        if not live and not failed:
            return None
        classes = None
        if live:
            try:
                classes = catching.classes_of(kinds())
            except Exception:  # noqa: BLE001  # the clause raises it when plain Python reaches it
                classes = None
            if classes is not None and reads and catching.runs_programs_code(classes):
                classes = None
        if classes is None:
            self._settle_body(sc, mark)
            return None
        calls: set[int] = set()
        for s in live:
            q = self._live.get(s)
            if q is not None:
                calls |= q._calls
        outcome = self.new_pending("outcome of a try", frozenset(calls))
        catch = catching.Catch(mark, end, classes, outcome)
        with self._lock:
            for s in [s for s in self._failures if mark <= s < end]:
                catch.failures[s] = self._failures.pop(s)
            waiting = [self._live[s] for s in self._live_order.irange(mark, end, (True, False))
                       if s not in anc]
            self._catching.append(catch)
        self._when_ready(waiting, lambda: self._decide_catch(catch))
        return outcome

    def _decide_catch(self, catch: catching.Catch) -> None:
        """Every value of a ``try`` body turned into a branch has finished: the earliest
        failure among them, if any, decides its outcome (see :meth:`try_outcome`)."""
        parked: list[Callable[[], None]] = []
        with self._out_lock:
            with self._lock:
                self._catching.remove(catch)
                state, value, origin, first = DONE, None, None, catch.hi
                if catch.failures:
                    first = min(catch.failures)
                    error = catch.failures[first]
                    self._handled.update(s for s in catch.failures if s != first)
                    if catching.matches(error, catch.classes):
                        # handled: plain Python went on with the handler, past whatever the
                        # body would have done after the failing call
                        self._handled.add(first)
                        self._discarded.append((first, catch.hi - 1))
                        parked, self._parked = self._parked, []
                        value = error
                    else:
                        if self._in_discarded(first):
                            self._handled.add(first)
                        else:
                            self._failures[first] = error
                        state, value, origin = FAILED, error, first
                callbacks = self._settle(catch.outcome, state, value, origin)
            if state == DONE and value is not None:
                for e in [e for e in self._outq if first < e.seq < catch.hi]:
                    self._outq.remove(e)
        for resume in parked:
            self._soon(resume)
        self._run_callbacks(callbacks)

    def settle_for_effect(self, values: tuple[Any, ...]) -> None:
        """Inside a ``try`` or ``with`` body (of this scope, at any depth of calls), a change to
        program state waits for every call issued since the outermost such body began: if one
        of them fails, plain Python never made the change, and the handler (or ``__exit__``,
        or the code after an enclosing ``try``) must not see it. The values the change uses
        are waited for too when they come from a call of the body."""
        marks = self._guard_marks
        if not marks:
            return
        found: list[Pending] = []
        for v in values:
            collect(v, found)
        if not found and not self._failures and not self._live:
            return  # nothing can fail any more: the change is the one plain Python makes
        mark, inner = marks[0], marks[-1]
        now = self.scope().next
        self._wait_range(mark, now, CHANGE_IN_TRY)
        first = self._earliest_failure(mark, now)
        if first is not None:
            error = self._handle(first)
            self._raise(error, first)
        if not any(q._state != DONE and max(q._calls, default=q._seq) >= inner for q in found) \
                and not any(q._state == FAILED for q in found):
            return
        for q in found:
            if q._state == PENDING:
                self.wait_for(q, CHANGE_IN_TRY)
            if q._state == FAILED:
                self.raise_failure(q)

    def unescape(self, escaping: EscapingFailure, mark: int) -> None:
        """Inside the body of the ``try`` that began at ``mark``: does the failure belong here?"""
        if escaping.origin >= mark:
            raise escaping.error
        raise escaping

    # -- output -----------------------------------------------------------------------------------

    def print(self, args: tuple[Any, ...], sep: Any, end: Any, file: Any, flush: bool) -> None:
        target = sys.stdout if file is None else file
        # Written at once only when nothing is ahead of it: no call, no queued output, no
        # print of a streamed answer still writing (its call may have ended, its end not yet),
        # and no failure the program has not met yet: a call that failed before this print
        # (a deferred arm's ``fail(...)`` that finished before the function's next print)
        # means plain Python never got here; queued, the print waits for that failure and
        # is dropped when the program meets it (p168, p659).
        if not self._live and not self._outq and self._streaming_entry is None \
                and not self._failures and not any(type(a) is Pending for a in args):
            with self._out_lock:
                if not self._outq and self._streaming_entry is None:
                    self._note_output(self.scope().next)
                    print(*args, sep=sep, end=end, file=target, flush=flush)
                    return
        staged: list[Any] = []
        watched: list[Pending] = []
        for a in args:
            pending: list[Pending] = []
            collect(a, pending)
            for q in pending:
                if value_type(q) not in ATOM_TYPES and q._state != FAILED:
                    watched.append(q)  # its value may be an object the program changes
                if q._label == MAYBE_UNBOUND:
                    q._force()  # raises here if the name was never bound
                elif q._state == FAILED and q._origin in self._handled:
                    # a failure the program has met and gone past, still held by a name: the
                    # queue would drop this print as never reached, so it raises here instead
                    self.raise_failure(q)
            staged.append(_staged(a, {}) if pending else _as_text(a))
        entry = _OutputEntry(self.next_seq(), tuple(staged), sep, end, target, flush)
        if self._loop_error is not None:
            self._check_loop()
        with self._out_lock:
            if self._discarded and self._in_discarded(entry.seq):
                # code running concurrently (a deferred arm) printed in a stretch of program
                # order that a failure the program met has discarded: plain Python never got
                # there, and the entries queued there were dropped already
                return
            if target is not sys.stdout and target is not sys.stderr:
                self._file_seq = entry.seq  # a write to a file (runtime/files.py)
            self._outq.add(entry)
            if watched:
                self._watch_print(entry, watched)
            self._pump()

    def print_to_file(self, texts: tuple[Any, ...], f: Any) -> None:
        """Queue ``f.write`` of each of ``texts`` in turn (runtime/files.py)."""
        self.print(texts, "", "", f, False)

    def flush_files(self, reason: str, meet: bool = True) -> None:
        """Before something that could see a file with queued writes (runtime/files.py):
        wait for what the writes queued so far wait for and write them. ``meet``: raise the
        earliest failure before them, as plain Python stopped there; else leave it for the
        program to meet (a ``with`` body's exit, which meets its own failures first) and
        write what comes before it."""
        upto = self._file_seq
        if upto < 0:
            return
        with self._out_lock:
            if (not self._outq or self._outq[0].seq > upto) and self._streaming_entry is None:
                return
        try:
            self._wait_before(upto + 1, reason)
        except RuntimeClosed:
            return
        if meet:
            first = self._earliest_failure(0, upto)
            if first is not None:
                self._check_outer(first)
                self._raise(self._handle(first), first)
        with self._out_lock:
            self._pump(force_all=True)

    def _to_file(self, entry: Any) -> bool:
        """Whether ``entry`` writes to a file whose writes are queued (runtime/files.py)."""
        files = self.files
        if not files:
            return False
        file = getattr(entry, "file", None)
        return type(file) is io.TextIOWrapper and file in files

    def queue_effect(self, inputs: tuple[Pending, ...], emit: Callable[[], None]) -> bool:
        """Queue ``emit`` (it writes to stdout or stderr) at the next place in program order,
        to run once ``inputs`` exist and what is before it is written; False, queuing nothing,
        when nothing is ahead of it and no input is pending: the caller runs it at once."""
        if not self._live and not self._outq and self._streaming_entry is None \
                and not self._failures and not inputs:
            return False
        entry = _EffectEntry(self.next_seq(), inputs, emit)
        with self._out_lock:
            if self._discarded and self._in_discarded(entry.seq):
                return True  # a stretch of program order a met failure discarded (see print)
            self._outq.add(entry)
            self._pump()
        return True

    def _watch_print(self, entry: _OutputEntry, pending: list[Pending]) -> None:
        """``entry``, a queued print, shows the values of ``pending`` when its turn comes; the
        program may change them in place before that (``x.append(...)`` right after
        ``print(x, slow(1))``), where plain Python showed them unchanged. The print becomes a
        concurrent reader of them (runtime/readers.py): such a change first renders it as it
        would be written now (:meth:`_render_print`), without waiting for its turn (caller
        holds ``_out_lock``)."""
        entry.watched = True
        self.readers.add_print(entry.seq, pending, lambda: self._render_print(entry))

    def _render_print(self, entry: _OutputEntry) -> None:
        """The program (or a deferred arm after the print in program order) is about to change
        an object that the queued print ``entry`` shows: render what it can now, on the
        changing thread, before the change. Pending values still without a value stay, and
        stay watched."""
        with self._out_lock:
            if not entry.watched:
                return  # written, dropped or being rendered meanwhile
            # unwatched first: rendering runs the program's ``__repr__``, which may change an
            # object the print shows (a cache it keeps) and so come back here
            self._unwatch(entry)
            args = entry.args
        # outside the lock: a ``__repr__`` that waits for a call must not hold up the loop
        args = tuple(rendered(a) for a in args)
        with self._out_lock:
            # a print whose turn came meanwhile is written by now, from the args as they were
            # (the change has not been made yet); one still queued writes these
            entry.args = args
            if entry not in self._outq:
                return
            left: list[Pending] = []
            for a in args:
                collect(a, left)
            left = [q for q in left if q._state == PENDING and value_type(q) not in ATOM_TYPES]
            if left:
                self._watch_print(entry, left)

    def _unwatch(self, entry: _OutputEntry | _CapturedOutput | _EffectEntry) -> None:
        """``entry`` is written, dropped or rendered: it reads nothing any more (caller holds
        ``_out_lock``)."""
        if entry.watched:
            entry.watched = False  # type: ignore[misc]
            self.readers.drop_print(entry.seq)

    def _note_output(self, seq: int) -> None:
        if self.schedule.first_output is None:
            self.schedule.first_output = self.now()
            self.schedule.first_output_seq = seq

    def _holds_output(self, seq: int, printed: tuple[TextStream, ...] = ()) -> bool:
        """Whether an unfinished value before ``seq`` holds back output (caller holds _lock).

        A call streaming an answer whose prefix the program has already used does not: the
        program went on with that prefix, and its output may go ahead (docs/streaming.md says
        what that means if the call later fails for good). Until then, output waits as for any
        call."""
        for s in self._live_order.irange(None, seq, (True, False)):
            p = self._live[s]
            if p._stream is None and p._src is not None and p._seq not in self._stream_paths:
                p = p._src[0]  # ``text.splitlines``: the method waits only for its text
            if p._stream is not None:
                root = p._stream.root
            else:
                along = self._stream_paths.get(p._seq)
                if along is None:
                    return True
                root = along[0]
            if not root.consumed and not (root.started and any(r is root for r in printed)):
                return True
        return False

    def _pump(self, force_all: bool = False) -> None:
        """Write queued output whose turn has come (caller holds ``_out_lock``); then a running
        call whose turn has come writes through. A run started inside an external's body
        writes into that call's capture, from whichever thread pumps."""
        outer = self._outer_capture
        if outer is not None:
            previous = capture.swap_thread(outer)
            try:
                self._pump_queue()
                if self._captures:
                    self._write_through_head()
            finally:
                capture.swap_thread(previous)
            return
        self._pump_queue()
        if self._captures:
            self._write_through_head()

    def _pump_queue(self) -> None:
        if self._loop_error is not None:
            return  # the run cannot go on (see _loop_broke): nothing more is written
        if self._streaming_entry is not None and not self._advance_streaming():
            return
        self._streaming_entry = None
        while self._outq:
            entry = self._outq[0]
            to_file = self._to_file(entry)
            printed = () if to_file else tuple(a._stream.root for a in entry.args
                                               if type(a) is Pending and a._stream is not None)
            with self._lock:
                blocked = any(s < entry.seq for s in self._failures) \
                    or self._catching and any(s < entry.seq for c in self._catching
                                              for s in c.failures) \
                    or self._holds_output(entry.seq, printed)
            if blocked:
                return
            if type(entry) is _EffectEntry:
                if any(q._state == PENDING for q in entry.inputs):
                    return  # a streamed input the program used a prefix of: wait for all of it
                self._outq.pop(0)
                if any(q._state == FAILED for q in entry.inputs):
                    continue  # plain Python never reached it
                self._note_output(entry.seq)
                entry.emit()
                continue
            self._outq.pop(0)
            if entry.watched:
                if any(type(a) is Pending and a._stream is not None for a in entry.args):
                    # written piece by piece from here on: what it shows after the streamed
                    # text is rendered now, before the program can change it
                    entry.args = tuple(rendered(a) for a in entry.args)
                self._unwatch(entry)
            if type(entry) is _CapturedOutput:
                self._note_output(entry.seq)
                entry.capture.replay()
                continue
            inner: list[Pending] = []
            for a in entry.args:
                collect_deep(a, inner)
            if any(q._state == FAILED for q in inner):
                continue  # holds a failed value: plain Python never reached this print
            if any(q._state == PENDING for q in inner):
                if to_file:
                    return  # a file gets the whole text: the stream may yet fail for good
                # only streaming values can still be pending here: write them as they come
                for a in entry.args:
                    if type(a) is Pending and a._stream is not None:
                        a._stream.root.consumed = True
                self._note_output(entry.seq)
                self._streaming_entry = _StreamingPrint(self, entry)
                if not self._advance_streaming():
                    return
                self._streaming_entry = None
                continue
            values = [fill(a) for a in entry.args]
            self._note_output(entry.seq)
            try:
                print(*values, sep=entry.sep, end=entry.end, file=entry.file, flush=entry.flush)
            except BaseException as exc:  # noqa: BLE001 - the print's own error, see below
                self._print_failed(entry, exc)
                return

    def _render_prints(self, lo: int, hi: int) -> None:
        """Leaving a ``try`` body that began at ``lo``: its prints still queued (behind calls
        from before it) are rendered now, on the program thread, so that one that raises (a
        ``__str__`` of the program's) raises inside the body, where plain Python raised it,
        and its handler catches it. A print shows a value from before the body that is not
        there yet: the body waits for it, unless it is text or a number, which render
        without error."""
        with self._out_lock:
            entries = [e for e in self._outq.irange_key(lo, hi - 1) if type(e) is _OutputEntry]
        for entry in entries:
            inner: list[Pending] = []
            for a in entry.args:
                collect_deep(a, inner)
            for q in inner:
                if q._state == PENDING and q._stream is None \
                        and value_type(q) not in ATOM_TYPES:
                    self.wait_for(q, "leaving a try block: a print in it may raise inside it")
            if any(q._state == FAILED for q in inner):
                continue  # never reached: the queue drops it
            with self._out_lock:
                if entry not in self._outq:
                    continue  # written meanwhile
                self._unwatch(entry)
                args = entry.args
            # outside the lock, as in _render_print; an argument still without its value is
            # text or a number (or streaming text), which renders without error: kept
            parts: list[Any] = []
            error: BaseException | None = None
            try:
                for a in args:
                    found: list[Pending] = []
                    collect_deep(a, found)
                    if any(q._state != DONE for q in found):
                        parts.append(a)
                    else:
                        parts.append(Text(str(resolved(a))))
            except BaseException as exc:  # noqa: BLE001 - the print's own error
                error = exc
            with self._out_lock:
                if entry not in self._outq:
                    continue  # written meanwhile, from the same arguments
                if error is None:
                    entry.args = tuple(parts)
                    continue
                # plain Python wrote the arguments before the one that raised, each followed
                # by the separator, and no end
                entry.args = (*parts, Text(""))
                entry.end = ""
                self._print_failed(entry, error)

    def _advance_streaming(self) -> bool:
        """Write what the streaming print can write now; True once it is written whole or
        has failed (:meth:`_print_failed`)."""
        streaming = self._streaming_entry
        assert streaming is not None
        try:
            return streaming.advance()
        except BaseException as exc:  # noqa: BLE001 - the print's own error, see below
            self._print_failed(streaming.entry, exc)
            return True

    def _print_failed(self, entry: _OutputEntry, exc: BaseException) -> None:
        """Writing the queued print ``entry`` raised ``exc`` (a ``__str__`` of the program's
        that raises, a file that refuses the text). Plain Python raised it at the print, after
        writing what came before it: the print's place in program order holds it now, as a
        call's failure, so the program meets it where it would meet that call's (output after
        the print is dropped). Without this, the
        error would end the callback running on the loop thread, and the values finished
        after it in that callback never would be (the program waiting for one hung)."""
        with self._lock:
            self._failures[entry.seq] = exc
            if self._cond._waiters:  # type: ignore[attr-defined]
                self._cond.notify_all()

    # -- introspection --------------------------------------------------------------------------

    def held_by_calls(self) -> int:
        return len(self._live)


_MUTABLE_CONTAINERS = (list, dict, set)


# The states of a speculative call's attempt: waiting for its tentative arguments, running,
# ended, or dropped before it started (the call is then made as without the option).
_WAITING, _RUNNING, _ENDED, _DROPPED = range(4)


class _Attempt:
    """A speculative call made on tentative arguments (see ``Runtime._prepare_attempt``).

    ``reads``: the speculative reads its arguments are built from. ``verdict``: None until
    the final arguments are known, then whether its answer is the call's."""

    __slots__ = ("arguments", "cap", "finished", "outcome", "reads", "started", "state",
                 "verdict")

    def __init__(self, reads: list[Pending]) -> None:
        self.reads = reads
        self.state = _WAITING
        self.verdict: bool | None = None
        self.started: float | None = None
        self.finished: float | None = None
        self.outcome: tuple[int, Any, str | None] = (FAILED, None, None)
        self.cap: capture.Capture | None = None
        self.arguments: tuple[Any, Any] = ((), {})  # what it was made on


def _shallow_copy(value: Any) -> Any:
    return value.copy()


def _real_arguments(spec: ExternalSpec, args: Any, kwargs: Any) -> tuple[Any, Any]:
    """The arguments an external is called with: pending values filled in, in the program's
    own objects for a call that changes them (``mutates``, or a changed parameter given
    something changeable), in copies otherwise."""
    if externals.changes_arguments(spec, args, kwargs):
        return (tuple(fill_in_place(a) for a in args),
                {k: fill_in_place(v) for k, v in kwargs.items()})
    return fill(args), fill(kwargs)


class _StreamingPrint:
    """A ``print`` whose arguments include streaming text, written piece by piece as the
    pieces arrive; later output waits behind it."""

    def __init__(self, rt: Runtime, entry: _OutputEntry) -> None:
        self.rt = rt
        self.entry = entry
        self.index = 0  # the argument being written
        self.written = 0  # characters of that argument written so far
        self.listening: Any = None
        self.sep_written = False

    def _write(self, text: str) -> None:
        if text:
            self.entry.file.write(text)
            self.entry.file.flush()

    def advance(self) -> bool:
        """Write what can be written now; True once the whole print is written (caller holds
        the output lock)."""
        args = self.entry.args
        sep = " " if self.entry.sep is None else str(self.entry.sep)
        while self.index < len(args):
            arg = args[self.index]
            if self.index > 0 and not self.sep_written:
                self._write(sep)
                self.sep_written = True
            if type(arg) is Pending and arg._state == PENDING and arg._stream is not None:
                stream = arg._stream.root
                text, finished = arg._stream.current()
                self._write(text[self.written:])
                self.written = len(text)
                if not finished or arg._state == PENDING:
                    if self.listening is not stream and stream.listen(self._more):
                        self.listening = stream
                    elif stream.finished and arg._state == PENDING:
                        self.rt._when_ready([arg], self._pump)
                    return False
            if type(arg) is Pending and arg._state == FAILED:
                return True  # the call failed for good after it started: stop here
            text = str(fill(arg))
            self._write(text[self.written:])
            self.index += 1
            self.written = 0
            self.sep_written = False
        end = "\n" if self.entry.end is None else str(self.entry.end)
        self._write(end)
        return True

    def _more(self, piece: str) -> None:
        if piece == "":  # the stream ended: nothing listens any more
            self.listening = None
        self._pump()

    def _pump(self) -> None:
        with self.rt._out_lock:
            self.rt._pump()


def _returning_originals(fn: Callable[..., Any], given: Any, made: Any,
                         copier: _ObjectCopier, is_async: bool) -> Callable[..., Any]:
    """``fn``, whose result gives back the program's own objects where it holds the copies
    made of them for the call: a reranker returning the documents it was given
    (``[d for d in docs if ...]``, ``docs[0]``, ``docs`` itself) hands the program its
    documents, as in plain Python, so that marking them changes the corpus. Looked for in the
    result and in the lists, tuples and dicts it is made of; an object of the external's own
    that holds a copy keeps the copy. The copies are paired with the originals only for a
    result that can hold one (not text or a number: most calls pay nothing)."""
    def originals_in(value: Any) -> Any:
        if type(value) in ATOM_TYPES:
            return value
        originals = copier.originals()
        _pair(given, made, originals, set())
        return _originals_in(value, originals, [_ORIGINALS_BUDGET]) if originals else value

    if is_async:
        async def call_async(*args: Any, **kwargs: Any) -> Any:
            return originals_in(await fn(*args, **kwargs))

        return call_async

    def call(*args: Any, **kwargs: Any) -> Any:
        return originals_in(fn(*args, **kwargs))

    return call


_ORIGINALS_BUDGET = 10000


def _pair(given: Any, made: Any, originals: dict[int, Any], seen: set[int]) -> None:
    """Record, by the id of each list, dict and set that snapshot copied from ``given`` into
    ``made`` (the same shape), the program's own."""
    t = type(given)
    if t not in PLAIN_CONTAINERS or type(made) is not t or id(given) in seen \
            or len(seen) > _ORIGINALS_BUDGET:
        return
    seen.add(id(given))
    if made is not given and t is not tuple and t is not frozenset:
        originals[id(made)] = given
    if t is list or t is tuple:
        for a, b in zip(given, made):
            _pair(a, b, originals, seen)
    elif t is dict:
        for key, value in given.items():
            if key in made:
                _pair(value, made[key], originals, seen)


def _originals_in(value: Any, originals: dict[int, Any], budget: list[int]) -> Any:
    t = type(value)
    if t in ATOM_TYPES:
        return value
    found = originals.get(id(value))
    if found is not None:
        return found
    budget[0] -= 1
    if budget[0] < 0:
        return value
    if t is list:
        for i, item in enumerate(value):
            if type(item) not in ATOM_TYPES:
                value[i] = _originals_in(item, originals, budget)
    elif t is dict:
        for key, item in value.items():
            if type(item) not in ATOM_TYPES:
                value[key] = _originals_in(item, originals, budget)
    elif t is tuple:
        items = tuple(_originals_in(item, originals, budget) for item in value)
        if any(a is not b for a, b in zip(items, value)):
            return items
    return value


def _as_now(value: Any) -> Any:
    """``value`` with every container and changeable object in it copied (pending values
    kept): what a function whose result is text or a number reads later, as it is now."""
    t = type(value)
    if t in ATOM_TYPES or t is Pending:
        return value
    if t is list:
        return [_as_now(v) for v in value]
    if t is dict:
        return {k: _as_now(v) for k, v in value.items()}
    if t is tuple or t is set or t is frozenset:
        return t(_as_now(v) for v in value)
    if not _changeable_object(value):
        return value
    if not _copies_unseen(value, set()):
        # copying would run the program's own code (p540): the caller waits instead
        raise TypeError("not copied")
    return copy.deepcopy(value)


class _ObjectCopier:
    """Copies the program's own objects passed to an external, so that later changes by the
    program do not leak into the running call; library objects (clients, files) are services
    and pass as they are; an object of the program's that cannot be copied is held."""

    def __init__(self, held: list[Any]) -> None:
        self.held = held
        # one deepcopy memo for the call: an object reached twice is copied once
        self.memo: dict[int, Any] = {}

    def originals(self) -> dict[int, Any]:
        """The program's objects by the ids of the copies made of them (deepcopy keeps every
        object it copied alive in the memo, under the memo's own id)."""
        kept = self.memo.get(id(self.memo), ())
        out: dict[int, Any] = {}
        for original in kept:
            made = self.memo.get(id(original))
            if made is not None and made is not original:
                out[id(made)] = original
        return out

    def __call__(self, value: Any) -> Any:
        from opportune.compiler.functions import is_user_module

        cls = type(value)
        if cls.__module__ == "builtins" and hasattr(cls, "__next__"):
            # A generator (or map, zip, a list iterator): the call consumes it, running the
            # program's own code against the program's current state, so the program waits.
            self.held.append(value)
            return value
        # by type throughout: isinstance and hasattr on the object would run a
        # ``__getattribute__`` of the program's, which plain Python never runs here
        if issubclass(cls, type) or callable(value) and not cls.__dictoffset__:
            return value
        if is_changeable_data(value):
            pass  # a Counter, deque or OrderedDict: data the program may change, not a service
        elif cls.__module__ == "builtins" or not is_user_module(cls.__module__):
            return value
        if issubclass(cls, (types.FunctionType, types.MethodType)):
            return value
        if not _copies_unseen(value, set()):
            # copying would run the program's own code (p540): it would see calls plain
            # Python never makes, so the program waits for the call instead
            self.held.append(value)
            return value
        try:
            return copy.deepcopy(value, self.memo)
        except Exception:
            self.held.append(value)
            return value




# Hooks that ``copy.deepcopy`` looks up or calls on an object (``__getattribute__`` and
# ``__getattr__`` run for every attribute it reads, ``__new__`` makes the copy), and
# ``__del__``, which the copy runs when it is collected (a second "closed" line, p694).
_COPY_HOOKS = ("__getattribute__", "__getattr__", "__new__", "__deepcopy__", "__reduce__",
               "__reduce_ex__", "__getstate__", "__setstate__", "__copy__", "__del__")


def _copies_unseen(value: Any, seen: set[int]) -> bool:
    """Whether ``copy.deepcopy(value)`` runs none of the program's own code: no class of an
    object it would copy defines one of the hooks deepcopy calls in the program's module.

    Walks what deepcopy would walk (plain containers, instance dicts), by type only, so the
    check itself runs none of it either."""
    if id(value) in seen:
        return True
    seen.add(id(value))
    cls = type(value)
    if cls in ATOM_TYPES:
        return True
    if cls in (list, tuple, set, frozenset):
        return all(_copies_unseen(v, seen) for v in value)
    if cls is dict:
        return all(_copies_unseen(k, seen) and _copies_unseen(v, seen)
                   for k, v in value.items())
    if cls.__module__ == "builtins":
        return True
    from opportune.compiler.functions import is_user_module

    for klass in cls.__mro__:
        if klass.__module__ == "builtins" or not is_user_module(klass.__module__):
            continue
        if any(name in klass.__dict__ for name in _COPY_HOOKS):
            return False
    if not cls.__dictoffset__:
        return True
    try:
        attributes = object.__getattribute__(value, "__dict__")
    except (AttributeError, TypeError):
        return True
    if type(attributes) is not dict:
        return True
    return all(_copies_unseen(v, seen) for v in attributes.values())


def _all_atoms(args: tuple[Any, ...]) -> bool:
    for a in args:
        if type(a) not in ATOM_TYPES:
            return False
    return True


def _entry_seq(entry: _OutputEntry) -> int:
    return entry.seq


def _runs_programs_code(inputs: list[Pending]) -> bool:
    """Whether an operation on these finished values may run code of the program's: one of
    them is an object of a class the program wrote (its operators, ``__bool__``, ...)."""
    for i in inputs:
        t = type(i._value)
        if t not in ATOM_TYPES and t.__module__ != "builtins" and _is_user_module(t.__module__):
            return True
    return False


def _attribute_type(owner: type, name: Any) -> type | None:
    """The declared type of attribute ``name`` on ``owner`` if it is a plain class."""
    if not isinstance(name, str):
        return None
    try:
        import typing

        hints = typing.get_type_hints(owner)
    except Exception:
        return None
    return plain_class(hints.get(name))
