"""opportune: run ordinary Python compound AI programs with their external calls overlapped.

The public API is small: mark the functions that leave the process with :func:`external`, then run
a program with ``opportune run FILE``, :func:`run` or :func:`parallel`. Everything the program or
the world can observe stays as plain, sequential Python would produce it.
"""

from opportune.runtime.externals import external

__all__ = ["external"]
__version__ = "0.1.0"
