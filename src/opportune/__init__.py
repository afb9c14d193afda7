"""opportune: run ordinary Python compound AI programs with their external calls overlapped.

The public API is small: mark the functions that leave the process with :func:`external`, then run
a program with ``opportune run FILE``, :func:`run` or :func:`parallel`. Everything the program or
the world can observe stays as plain, sequential Python would produce it.
"""

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
