"""Which runtime, if any, drives the current thread.

Only the thread that runs the program under opportune sees an active runtime. Worker threads that
execute external calls, and threads the user starts, see none, so any external they call runs
in place, exactly as under plain Python.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opportune.runtime.scheduler import Runtime

_local = threading.local()


def active_runtime() -> Runtime | None:
    return getattr(_local, "runtime", None)


def set_active_runtime(runtime: Runtime | None) -> Runtime | None:
    previous = getattr(_local, "runtime", None)
    _local.runtime = runtime
    return previous
