"""A file with queued writes handed to an external that writes to it, an external declared
``writes=`` that reads the file's path, and a pure external that needs neither.

The file's queued writes are made before the external that is handed the file or declares
reads=/writes= starts; the file then reads back in program order.
"""
import os
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.02)
    return f"<{prompt}>"


@opportune.external
def stamp(f, label: str) -> int:
    time.sleep(0.01)
    return f.write(f"[stamp {label}]\n")


@opportune.external(reads="disk", writes="disk")
def size_on_disk(path: str) -> int:
    time.sleep(0.01)
    return os.path.getsize(path)


path = os.path.join(tempfile.mkdtemp(), "mixed.txt")
with open(path, "w") as f:
    for q in ["a", "b"]:
        f.write(ask(q) + "\n")
        print("stamped", stamp(f, q))
    f.write(ask("c") + "\n")
    f.flush()
    f.write(ask("d") + "\n")
    print("size", size_on_disk(path))
    f.write(ask("e") + "\n")
with open(path) as r:
    print(r.read(), end="")
