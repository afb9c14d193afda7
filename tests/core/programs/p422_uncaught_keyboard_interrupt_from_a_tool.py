"""A tool call ends with KeyboardInterrupt (as a cancelled call does) and nothing catches it:
the prints before it are written, the traceback names KeyboardInterrupt, and the process ends
by SIGINT as plain Python's does; a subclass of it ends with status 1."""
import time

import opportune
from _tools import llm


class Stop(KeyboardInterrupt):
    pass


@opportune.external
def cancellable(x: int) -> int:
    time.sleep(0.03)
    if x == 3:
        raise KeyboardInterrupt
    if x == 99:
        raise Stop("stopped")
    return x * 2


try:
    print(llm("caught"), cancellable(99))
except Stop as e:
    print("caught", repr(e))
try:
    cancellable(3)
except Exception:
    print("not an Exception")
except BaseException as e:
    print("caught as BaseException:", type(e).__name__)
print(llm("before"))
for i in range(5):
    print(i, cancellable(i))
print("never")
