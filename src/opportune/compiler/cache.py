"""Compiled modules kept on disk, so that running a program again skips compiling it.

Compiling a module for opportune takes tens of times longer than Python's own ``compile`` (the
rewriting passes walk the tree many times): milliseconds for a short script, tens of them for a
few hundred lines, paid again at every ``opportune run``. Python keeps its bytecode in
``__pycache__``; this keeps opportune's the same way, with three differences:

- Entries live in a cache folder of the user's, never beside the source, so plain ``python``
  can never pick up compiled code and a project folder stays clean (and may be read-only).
  The folder is ``$OPPORTUNE_COMPILE_CACHE``, else ``$XDG_CACHE_HOME/opportune/compiled``, else
  ``~/.cache/opportune/compiled``; ``OPPORTUNE_COMPILE_CACHE=0`` turns the cache off.
- An entry is used only when everything that decides the result is as it was: the source bytes
  (stored and compared in full, no hash to collide), the file's path (it is in the code), the
  Python build and ``-O`` level, opportune's version, and the size and modification time of
  every compiler module (so editing the compiler invalidates every entry).
- The purity facts the compiler noted while compiling (:mod:`opportune.compiler.registry`) are
  stored with the code and noted again when the entry is used.

An entry is written to a temporary file and renamed into place, so a reader sees a whole entry
or none. An entry that is unreadable, truncated, or fails its checksum is ignored and rewritten;
a folder that cannot be written to only means compiling every time. One file per source path
(named after it), overwritten when the source changes, so the folder does not grow with edits.
"""

from __future__ import annotations

import marshal
import os
import sys
import threading
import types
import zlib
from typing import Any

ENV_DIR = "OPPORTUNE_COMPILE_CACHE"
_MAGIC = b"OPPCOMP1"
_OFF = {"0", "off", "false", "no"}
_COMPILER_DIR = os.path.dirname(os.path.abspath(__file__))

# (filename, first line, function name, purity facts as a dict of fields), as noted by the
# compiler; see registry.note_pure_function.
Facts = list[tuple[str, int, str, dict[str, Any]]]


def cache_dir() -> str | None:
    """The folder entries go to, or None when the cache is turned off."""
    configured = os.environ.get(ENV_DIR)
    if configured is not None:
        if configured.strip().lower() in _OFF:
            return None
        return configured
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "opportune", "compiled")


_fingerprint: str | None = None


def _compiler_fingerprint() -> str:
    """What identifies the compiler that produced an entry (computed once per process)."""
    global _fingerprint
    if _fingerprint is None:
        from opportune import __version__

        parts = [__version__, sys.version, sys.implementation.cache_tag or "",
                 str(sys.flags.optimize)]
        for name in sorted(os.listdir(_COMPILER_DIR)):
            if name.endswith(".py"):
                st = os.stat(os.path.join(_COMPILER_DIR, name))
                parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        _fingerprint = "\n".join(parts)
    return _fingerprint


def entry_path(folder: str, filename: str) -> str:
    """The entry of ``filename``: its base name and a checksum of its full path."""
    encoded = filename.encode("utf-8", "surrogateescape")
    tag = f"{zlib.crc32(encoded):08x}{zlib.adler32(encoded):08x}"
    stem = os.path.splitext(os.path.basename(filename))[0][:64]
    return os.path.join(folder, f"{stem}-{tag}.bin")


def load(filename: str, source: bytes, program: bool = False
         ) -> tuple[types.CodeType, Facts] | None:
    """The cached compilation of ``source`` at ``filename``, or None (no entry, a stale one,
    or one that cannot be read: the caller compiles). ``program``: compiled as the script
    run, not as a module it imports (they compile differently: compiler/arm_objects.py)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(entry_path(folder, filename), "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    head = len(_MAGIC) + 4
    if len(data) < head or data[:len(_MAGIC)] != _MAGIC:
        return None
    payload = data[head:]
    if zlib.crc32(payload) != int.from_bytes(data[len(_MAGIC):head], "little"):
        return None  # torn or corrupted: never hand damaged bytecode to the interpreter
    try:
        key, stored_name, stored_source, code, facts = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if key != _compiler_fingerprint() or stored_name != _stored_name(filename, program) \
            or stored_source != source:
        return None
    if type(code) is not types.CodeType or type(facts) is not list:
        return None
    return code, facts


def _stored_name(filename: str, program: bool) -> str:
    return f"{filename}\0program" if program else filename


def store(filename: str, source: bytes, code: types.CodeType, facts: Facts,
          program: bool = False) -> None:
    """Write the entry for ``filename`` (``program``: see :func:`load`); silently does nothing
    where that is not possible."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        payload = marshal.dumps((_compiler_fingerprint(), _stored_name(filename, program),
                                 source, code, facts))
    except ValueError:
        return  # a constant marshal cannot write: nothing to cache
    target = entry_path(folder, filename)
    tmp = f"{target}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        os.makedirs(folder, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(_MAGIC + zlib.crc32(payload).to_bytes(4, "little") + payload)
        os.replace(tmp, target)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
