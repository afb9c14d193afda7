"""Files whose writes are not queued: binary mode, ``w+`` and ``r+``; they still write in
program order, between queued writes to a text file.
"""
import os
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.02)
    return f"ans-{prompt}"


folder = tempfile.mkdtemp()
text = os.path.join(folder, "t.txt")
data = os.path.join(folder, "b.bin")
both = os.path.join(folder, "both.txt")
with open(text, "w") as t, open(data, "wb") as b, open(both, "w+") as wp:
    for q in ["a", "b"]:
        a = ask(q)
        t.write(a + "\n")
        b.write(a.encode() + b"\n")
        n = wp.write(a)
        wp.seek(0)
        print("w+ reads", repr(wp.read()), n)
with open(both, "r+") as rp:
    rp.write(ask("over"))
    print("r+ rest", repr(rp.read()))
for p in (text, data, both):
    with open(p, "rb") as r:
        print(os.path.basename(p), r.read())
