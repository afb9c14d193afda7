"""Writes to a text file the program opened for writing take their place in program order.

``f.write(json.dumps({"q": q, "a": ask(q)}) + "\\n")`` in a batch loop is library code with
an effect: it used to run in program order (``Runtime.in_program_order``), waiting for the
answer before the next question was asked, so the loop made one call at a time. A write to a
file no one looks at until later needs no more than a ``print`` to stdout does: its place in
program order. So such a write is queued in the output queue as ``print(text, sep="",
end="", file=f)`` (the same characters ``f.write(text)`` writes), written once the text
exists and everything before it is written, and dropped where a failure before it is met,
as plain Python never got there.

A file qualifies (:func:`note_open`) when the program itself opened it with the builtin
``open`` for writing only (mode ``w``, ``a`` or ``x``, text, no ``+``) and it is a regular
file (not a terminal, pipe or device, whose writes another reader sees at once). What is
queued (:func:`write_later`, :func:`print_later`), made by the program's own thread and not
by code running concurrently (a deferred arm):

- ``f.write(text)`` of text, or of an answer known to be text (an external annotated
  ``-> str``, an f-string, ``json.dumps``): it returns ``len(text)``, pending while the text
  is; anything else (bytes, a number) runs in program order and raises as plain Python does;
- ``f.writelines(items)``, which is ``f.write`` of each item in turn (``IOBase.writelines``):
  each is judged as a ``write`` (``runtime/dispatch.py`` makes the calls one by one, also
  for a file of any kind given a generator, whose code runs between the writes);
- ``print(..., file=f)`` of values ``print`` to stdout would queue (``spawn._safe``).

A streamed answer is written whole, once its call has ended, not piece by piece as to
stdout: a stream that fails for good leaves none of it in the file, as in plain Python.

Whatever could see the file first writes the queue up to its place (:meth:`Runtime.
flush_files`, or the ``in_program_order`` that every effect passes through):

- any other method of the file (``flush``, ``close``, ``tell``, ``seek``, ``read``,
  ``fileno``, ``truncate``, its ``buffer``'s methods) and any other library code with
  effects (``open`` of the same path or another, ``os.stat``, ``shutil.copy``, a ``Path``
  method, a ``csv.writer``'s ``writerow``): all of them run in program order, after
  everything before them is written;
- library code handed the file (``json.dump(answer, f)``, ``pprint.pprint(x, stream=f)``),
  though it would otherwise be computed later or at once: it runs in program order too;
- leaving a ``with`` body whose manager is such a file or a ``contextlib`` manager (an
  ``ExitStack`` it was entered into, ``closing(f)``): their ``__exit__`` closes it without
  a call the program makes;
- an external declared with ``reads=`` or ``writes=``, or one handed the file;
- the program's end, or an error it does not handle: the file then holds what plain Python
  had written before the error.

An external declared with neither ``reads=`` nor ``writes=`` and not handed the file does
not wait: by its declaration it touches no outside state, the file included.

Text known at the write is encoded there, where plain Python raises if it does not encode;
an answer still coming is queued only to a file whose encoding takes any text (a Unicode
encoding, or an error handler that replaces), else the write runs in program order. The one
text such a file refuses, a lone surrogate (``json.loads('"\\ud800"')``), fails when its
turn comes: the program meets that error at its next point that waits for calls, as it meets
a failed call's, with no frame of its own in the traceback, and the writes after it are
dropped.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
import threading
import weakref
from typing import Any

from opportune.runtime.context import _local
from opportune.runtime.values import Pending

_NOT_QUEUED: Any = object()


def note_open(rt: Any, result: Any) -> None:
    """Remember ``result`` of the program's ``open(...)`` if its writes may be queued."""
    if type(result) is not io.TextIOWrapper:
        return
    mode = result.mode
    if type(mode) is not str or len(set(mode) & set("wax")) != 1 or set(mode) - set("waxt"):
        return
    if type(result.name) is not str and type(result.name) is not bytes:
        return  # ``open(1, "w")``: the process's stdout below sys.stdout
    try:
        if not stat.S_ISREG(os.fstat(result.fileno()).st_mode):
            return
    except (OSError, ValueError):
        return
    files = rt.files
    if files is None:
        files = rt.files = weakref.WeakSet()
    files.add(result)


def queued(rt: Any, f: Any) -> bool:
    """Whether ``f`` is a file the program opened whose writes may be queued now, by this
    thread."""
    files = rt.files
    return files is not None and type(f) is io.TextIOWrapper and f in files \
        and not f.closed and threading.get_ident() == rt._program_ident \
        and getattr(_local, "scope", None) is None


def _text(value: Any) -> bool:
    return type(value) is str or type(value) is Pending and value._type is str


_REPLACING = frozenset({"replace", "ignore", "backslashreplace", "xmlcharrefreplace",
                        "namereplace"})
_UNICODE = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                      "utf-32-le", "utf-32-be"})


def _encodes(f: Any, values: Any) -> bool:
    """Whether ``values`` will encode in ``f``'s encoding: text known now is tried now; text
    still coming only where any text encodes but for a lone surrogate (a Unicode encoding,
    or an error handler that replaces), as in an ``ascii`` file an answer with an accent
    fails, and plain Python raises that at the write."""
    try:
        for v in values:
            if type(v) is str:
                v.encode(f.encoding, f.errors)
            elif type(v) is Pending and f.errors not in _REPLACING \
                    and codecs.lookup(f.encoding).name not in _UNICODE:
                return False
    except (UnicodeError, LookupError):
        return False
    return True


def write_later(rt: Any, f: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Queue ``f.write(text)`` (see the module docstring); its result, or ``_NOT_QUEUED``
    when it does not qualify and must run as before."""
    f_self = f.__self__
    if f.__name__ != "write" or kwargs or len(args) != 1 or not queued(rt, f_self):
        return _NOT_QUEUED
    value = args[0]
    if not _text(value) or not _encodes(f_self, args):
        return _NOT_QUEUED
    rt.print_to_file(args, f_self)
    if type(value) is str:
        return len(value)
    return rt.derive_call(len, args, {}, "len", int)
    return _NOT_QUEUED


def print_later(rt: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether ``print(*args, **kwargs)`` to a file may be queued like a print to stdout."""
    from opportune.runtime.spawn import _safe

    file = kwargs.get("file")
    if not queued(rt, file):
        return False
    for key in ("sep", "end"):
        v = kwargs.get(key)
        if v is not None and type(v) is not str:
            return False
    return _encodes(file, (*args, kwargs.get("sep"), kwargs.get("end"))) \
        and all(_safe(a, True) for a in args)


def among(rt: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether a file whose writes may be queued is among the arguments of an external or
    of library code (``json.dump(answer, f)``)."""
    files = rt.files
    if not files:
        return False
    for a in (*args, *kwargs.values()):
        if type(a) is io.TextIOWrapper and a in files:
            return True
    return False
