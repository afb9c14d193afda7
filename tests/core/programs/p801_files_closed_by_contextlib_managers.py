"""Files with queued writes closed by contextlib managers: an ``ExitStack`` the file was
entered into (and one whose callback closes another file), and ``closing(f)``. Their
``__exit__`` closes the file without a call the program makes; the queued writes are made
first.
"""
import contextlib
import os
import tempfile
import time

import opportune

@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.02)
    return f"<{prompt}>"

folder = tempfile.mkdtemp()
with contextlib.ExitStack() as stack:
    f = stack.enter_context(open(os.path.join(folder, "a"), "w"))
    g = open(os.path.join(folder, "b"), "w")
    stack.callback(g.close)
    for q in "xyz":
        f.write(ask(q))
        g.write(ask(q + "g"))
with contextlib.closing(open(os.path.join(folder, "c"), "w")) as h:
    h.write(ask("c"))
for n in "abc":
    with open(os.path.join(folder, n)) as r:
        print(n, r.read())
