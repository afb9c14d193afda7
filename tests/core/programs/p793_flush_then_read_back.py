"""Writes of answers, then everything that can look at the file while it is open.

``flush`` then a second ``open`` reads it back; ``tell``, ``os.path.getsize``, ``seek`` and
``truncate`` see the writes made before them; a read of the file without a flush sees only
what the buffer had let through, as in plain Python.
"""
import os
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.02)
    return f"<{prompt}>"


path = os.path.join(tempfile.mkdtemp(), "log.txt")
f = open(path, "w")
for q in ["a", "b"]:
    f.write(ask(q) + "\n")
with open(path) as r:
    print("before flush:", repr(r.read()))
f.flush()
with open(path) as r:
    print("after flush:", repr(r.read()))
f.write(ask("c"))
print("tell:", f.tell())
print("size before flush:", os.path.getsize(path))
f.write(ask("d"))
f.flush()
print("size after flush:", os.path.getsize(path))
f.seek(0)
f.write(ask("Z"))
f.seek(0, 2)
f.write("|end\n")
f.truncate(40)
f.close()
print("closed:", f.closed)
with open(path) as r:
    print(repr(r.read()))
try:
    f.write(ask("closed"))
except ValueError as e:
    print("ValueError:", e)
