"""``continue`` inside a ``try`` with ``finally`` and inside a ``with``: the ``finally`` and the
manager's exit run at the ``continue`` as in plain Python; the rest of the body does not."""
import contextlib
import time

import opportune


@opportune.external
def fetch(q: str) -> str:
    time.sleep(0.01)
    return q.upper()


@contextlib.contextmanager
def section(name: str):
    print("enter", name)
    yield
    print("exit", name)


def main(items: list[str]) -> list[str]:
    out = []
    for q in items:
        try:
            v = fetch(q)
            if v.startswith("X"):
                continue
            out.append(v)
        finally:
            print("finally", q)
        print("after try", q)
    for q in items:
        with section(q):
            v = fetch(q)
            if v.startswith("X"):
                continue
            print("in with", v)
        out.append(q)
    return out


print(main(["a", "xb", "c"]))
