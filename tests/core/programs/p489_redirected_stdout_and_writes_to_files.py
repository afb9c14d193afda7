"""The program redirects stdout around a printing tool (its lines go to the buffer, as in
plain Python); a tool that prints to a file it opens writes the file, not stdout; partial
lines with end="" join across calls."""
import contextlib
import io
import os
import tempfile
import time

import opportune

folder = tempfile.mkdtemp()


@opportune.external
def say(word: str) -> str:
    time.sleep(0.02 if word == "one" else 0.005)
    print(word, end=" ")
    return word.upper()


@opportune.external
def save(name: str, text: str) -> str:
    with open(os.path.join(folder, name), "w") as f:
        print(text, file=f)
    return name


words = [say(w) for w in ["one", "two"]]
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    inside = say("three")
print()
print("buffer held:", repr(buf.getvalue()), inside, words)
names = [save(f"f{i}.txt", f"text {i}") for i in range(2)]
for n in names:
    with open(os.path.join(folder, n)) as f:
        print(n, f.read().strip())
