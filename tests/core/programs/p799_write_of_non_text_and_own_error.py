"""Writes that plain Python refuses, and the program's own error with a file left open.

``f.write`` of a dict answer or of an answer of unknown class that is not text raises
``TypeError`` where plain Python does; the lines before it are in the file. The program then
stops with its own error while a second file, never closed, has queued writes: an atexit
hook shows both files as plain Python left them after flushing the second.
"""
import atexit
import os
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.02)
    return f"<{prompt}>"


@opportune.external
def untyped(prompt):
    time.sleep(0.02)
    return {"prompt": prompt} if prompt == "dict" else f"u{prompt}"


folder = tempfile.mkdtemp()
path = os.path.join(folder, "a.txt")
kept = os.path.join(folder, "kept.txt")
with open(path, "w") as f:
    for q in ["x", "y", "dict"]:
        try:
            f.write(untyped(q))
            f.write(ask(q))
        except TypeError as e:
            print("TypeError:", e)
    try:
        f.write(ask("n").encode())
    except TypeError as e:
        print("TypeError:", e)
with open(path) as r:
    print(repr(r.read()))

g = open(kept, "w")


def show():
    g.flush()
    with open(kept) as r:
        print("kept", repr(r.read()))


atexit.register(show)
for q in ["p", "q"]:
    g.write(ask(q))
ratio = len(ask("r")) / 0
