"""The program's logging calls take their place in the output instead of waiting for every call.

``log.info("processing %s", item)`` in a batch loop is library code that writes: it used to run
in program order (``Runtime.in_program_order``), waiting for every call issued before it, so
a loop that logs one line per item made one call at a time. A call that fails before the line
must keep it from being written at all, as plain Python never got there, and a line that shows
an answer must wait for it; the output queue already does both for ``print``. So a logging call
whose whole effect is text on the run's stdout or stderr is split where ``Logger._log`` splits
it: what reads the program's state happens at the call (the level test, the caller's file,
line and function, the record with its time, thread and process), and the handlers' part
(``msg % args``, the formatter, the write) is queued at the call's place in program order
(``Runtime.queue_effect``), run once the answers it shows exist and everything before it was
written, and dropped where a failure before it is met.

It qualifies only when that split cannot change what is written (:func:`log_later`):

- a ``debug``/``info``/``warning``/``error``/``critical``/``fatal``/``log`` method of a
  plain ``logging.Logger`` (or the root logger, or the module's functions once the root has a
  handler), called by the program's own thread, with no ``extra``, ``exc_info``,
  ``stack_info`` or ``stacklevel``;
- no filters on the logger or its handlers; every handler that takes the record is a plain
  ``StreamHandler`` on the run's ``sys.stdout`` or ``sys.stderr`` with a plain ``Formatter``
  (or none): handlers, formatters and streams are taken at the call, as plain Python used them;
- the message and its arguments are text or numbers, or answers known to be text (an external
  annotated ``-> str``, an f-string): formatted later, they give what they would give now,
  and a ``%`` format that text could break (``%d`` of an answer) is tried with a sample first
  and left to the old path if it fails.

A call below the logger's level writes nothing and reads nothing: it returns at once.
Anything else runs as before, in program order.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from opportune.runtime.snapshot import fill
from opportune.runtime.values import ATOM_TYPES, Pending

# ``warn`` is left out: it also issues a DeprecationWarning, an effect of its own.
_LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50, "fatal": 50}
_NAMES = frozenset({*_LEVELS, "log"})


def _logger_and_level(logging: Any, f: Any, args: tuple[Any, ...]) -> tuple[Any, int, int] | None:
    """(logger, level, index of the message in ``args``) for a logging call of the kinds
    that may qualify."""
    if type(f) is types.MethodType:
        logger, func = f.__self__, f.__func__
        if type(logger) not in (logging.Logger, logging.RootLogger):
            return None
        name = func.__name__
        if name not in _NAMES or getattr(logging.Logger, name, None) is not func:
            return None
    elif type(f) is types.FunctionType:
        name = f.__name__
        if name not in _NAMES or getattr(logging, name, None) is not f:
            return None
        logger = logging.root
        if not logger.handlers:
            return None  # the module function first calls basicConfig(): in program order
    else:
        return None
    if name == "log":
        if not args or type(args[0]) is not int:
            return None
        return logger, args[0], 1
    return logger, _LEVELS[name], 0


def _handlers(logging: Any, logger: Any, level: int) -> list[Any] | None:
    """The handlers ``callHandlers`` would hand a record of ``level``, if each qualifies
    (None otherwise, and when there are no handlers at all)."""
    found: list[Any] = []
    seen = 0
    c = logger
    while c is not None:
        for h in c.handlers:
            seen += 1
            if level < h.level:
                continue
            if type(h) is not logging.StreamHandler or h.filters \
                    or h.formatter is not None and type(h.formatter) is not logging.Formatter \
                    or h.stream is not sys.stdout and h.stream is not sys.stderr:
                return None
            found.append(h)
        if not c.propagate:
            break
        c = c.parent
    # no handler at all: lastResort or the "no handlers" note, left as they were
    return found if seen else None


def _text_later(value: Any) -> bool:
    """Whether ``value`` gives now the text it gives later: an atom, or text still coming."""
    if type(value) is Pending:
        return value._type is str
    return type(value) in ATOM_TYPES


def log_later(rt: Any, f: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
              frame: types.FrameType | None) -> bool:
    """Queue the logging call ``f(*args, **kwargs)`` of the program's ``frame`` (see the module
    docstring); False when it does not qualify and must run as before."""
    logging = sys.modules.get("logging")
    if logging is None or kwargs or frame is None:
        return False
    found = _logger_and_level(logging, f, args)
    if found is None:
        return False
    logger, level, at = found
    if len(args) <= at:
        return False
    msg, fmt_args = args[at], args[at + 1:]
    if not logger.isEnabledFor(level):
        return True  # below its level: plain Python writes nothing either
    if logger.disabled or logger.filters:
        return False
    if not _text_later(msg) or not all(_text_later(a) for a in fmt_args):
        return False
    pending = tuple(a for a in (msg, *fmt_args) if type(a) is Pending)
    if fmt_args:
        if type(msg) is not str:
            return False
        try:  # an answer's text where its text goes; a %d of it would fail: the old path
            msg % tuple("" if type(a) is Pending else a for a in fmt_args)
        except Exception:  # noqa: BLE001 - any failure: plain Python reports it as it does
            return False
    handlers = _handlers(logging, logger, level)
    if handlers is None:
        return False
    if not handlers:
        return True  # every handler's level is above it: nothing is written
    code = frame.f_code
    if code.co_name.startswith("__opp"):
        return False  # a converted statement's helper stands for another frame
    if logging._srcfile:
        fn, lno, func = code.co_filename, frame.f_lineno, code.co_name
    else:
        fn, lno, func = "(unknown file)", 0, "(unknown function)"
    record = logger.makeRecord(logger.name, level, fn, lno, "" if pending else msg, (), None,
                               func, None, None)
    targets = [(h.formatter or logging._defaultFormatter, h.stream, h.terminator, h)
               for h in handlers]

    def emit() -> None:
        record.msg = fill(msg)
        record.args = tuple(fill(a) for a in fmt_args)
        for formatter, stream, terminator, handler in targets:
            # StreamHandler.emit with what the handler had at the call; its lock is not
            # taken: the output lock held here orders every write of the run
            try:
                stream.write(formatter.format(record) + terminator)
                if hasattr(stream, "flush"):
                    stream.flush()
            except RecursionError:
                raise
            except Exception:  # noqa: BLE001 - as the handler itself reports it
                handler.handleError(record)

    if not rt.queue_effect(pending, emit):
        return False
    return True
