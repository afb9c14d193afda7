"""An inert ``with`` opened first thing in a ``try`` body has the same mark as the ``try``:
leaving it must not stop the ``try`` from holding back the changes after a failing call, and
the managers the rewrite held are not kept alive after the ``with`` statement."""
import gc
import threading
import weakref

from _tools import fail

lock = threading.Lock()
items = []
try:
    with lock:
        pass
    r = fail("first")
    items.append(1)
    items.append(2)
    print("after", r)
except ValueError as e:
    print("handler sees", items, e)


class Manager:
    def __enter__(self) -> "Manager":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


m = Manager()
ref = weakref.ref(m)
with m:
    pass
del m
gc.collect()
print("manager alive after del:", ref() is not None)
