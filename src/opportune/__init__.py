"""opportune: run ordinary Python compound AI programs with their external calls overlapped.

The public API is small: mark the functions that leave the process with :func:`external`, then run
a program with ``opportune run FILE``, :func:`run` or :func:`parallel`. Everything the program or
the world can observe stays as plain, sequential Python would produce it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opportune.api import last_schedule, parallel, run, run_path, run_source
    from opportune.runtime.externals import external
    from opportune.runtime.trace import CallRecord, Schedule

__all__ = [
    "CallRecord",
    "Schedule",
    "external",
    "last_schedule",
    "parallel",
    "run",
    "run_path",
    "run_source",
]
__version__ = "0.1.0"

# The public names are imported on first use (PEP 562), not with the package: the runtime brings
# in asyncio and the compiler, which ``opportune sim``, ``opportune serve``, ``opportune --help``
# and ``import opportune.lift`` never use. ``from opportune import external`` works as before.
_HOME = {
    "CallRecord": "opportune.runtime.trace",
    "Schedule": "opportune.runtime.trace",
    "external": "opportune.runtime.externals",
    "last_schedule": "opportune.api",
    "parallel": "opportune.api",
    "run": "opportune.api",
    "run_path": "opportune.api",
    "run_source": "opportune.api",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'opportune' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
