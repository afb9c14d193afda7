"""Context managers whose ``__exit__`` neither swallows an exception nor looks at program objects.

Inside a ``try`` body a change to an object waits for the calls issued earlier in the body
(``Runtime.settle_for_effect``): if one of them fails, plain Python never made the change, and
the handler must not see it. A ``with`` body needs the same care only when someone can look
at the objects after the failure without the program ending first: an ``__exit__`` that
suppresses the exception (``contextlib.suppress``) or reads program state, or an enclosing
``try`` (which guards on its own). For the managers listed here neither holds: they close a
file, release a lock, shut down a pool or commit a transaction, and the exception goes on. So
a ``with open(...)`` or ``with lock:`` around a loop of calls lets the loop overlap as it would
outside the ``with``. Their ``__exit__`` still runs only after the body's calls have settled,
with the body's exception if one failed, as in plain Python.

A manager is judged by the ``__exit__`` its class has (a subclass that overrides it is not
inert), once per class.
"""

from __future__ import annotations

from typing import Any

_inert_exits: set[Any] | None = None
_by_class: dict[type, bool] = {}


def _known_exits() -> set[Any]:
    """The ``__exit__`` functions of the standard library managers known to be inert."""
    import concurrent.futures
    import contextlib
    import decimal
    import io
    import socket
    import sqlite3
    import subprocess
    import tempfile
    import threading
    import warnings
    import zipfile

    classes: list[Any] = [
        io.IOBase, io.TextIOWrapper, io.BufferedReader, io.BufferedWriter, io.BufferedRandom,
        io.FileIO, io.StringIO, io.BytesIO,
        type(threading.Lock()), type(threading.RLock()), threading.Condition,
        threading.Semaphore, threading.BoundedSemaphore,
        concurrent.futures.Executor, concurrent.futures.ThreadPoolExecutor,
        contextlib.nullcontext, contextlib.redirect_stdout, contextlib.redirect_stderr,
        contextlib.closing, decimal.localcontext().__class__, warnings.catch_warnings,
        tempfile.TemporaryDirectory, tempfile.SpooledTemporaryFile,
        getattr(tempfile, "_TemporaryFileWrapper", None),
        socket.socket, sqlite3.Connection, subprocess.Popen, zipfile.ZipFile,
    ]
    exits: set[Any] = set()
    for cls in classes:
        exit_ = getattr(cls, "__exit__", None)
        if exit_ is not None:
            exits.add(exit_)
    return exits


def inert(manager: Any) -> bool:
    """Whether leaving ``with manager:`` after a failure neither hides it nor reads objects."""
    cls = type(manager)
    known = _by_class.get(cls)
    if known is None:
        global _inert_exits
        if _inert_exits is None:
            _inert_exits = _known_exits()
        known = _by_class[cls] = getattr(cls, "__exit__", None) in _inert_exits
    return known
