"""An answer that is not a number, parsed by the program: the uncaught ValueError's traceback.

The failure belongs to ``int(answer)``, a value derived from a pending answer; its report
shows the program's frames (the function and the module line) as plain Python's does, also
under ``--explain`` (tests/core/test_explain_tracebacks.py). The program starts with
Python's own excepthook.
"""
import sys
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    return "twelve" if q == "count" else "7"


def count(q):
    return int(ask(q))


print(sys.excepthook is sys.__excepthook__)
print(count("seven") + 1)
total = count("count")
print("never", total)
