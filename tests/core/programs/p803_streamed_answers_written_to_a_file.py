"""Streamed answers written to a file the program opened: whole, retried, and one whose
stream fails for good inside a ``try`` (plain Python wrote none of it).

A write of a streamed answer waits for all of it: the file never holds part of an answer
whose call then fails.
"""
import os
import tempfile

from _tools import stream_llm, stream_llm_broken, stream_llm_retried

path = os.path.join(tempfile.mkdtemp(), "streamed.txt")
with open(path, "w") as f:
    f.write(stream_llm("first") + "\n")
    print(stream_llm_retried("second"), file=f)
    try:
        f.write("before the broken one\n")
        f.write(stream_llm_broken("lost"))
        f.write("not reached\n")
    except ConnectionError as e:
        print("caught", e)
        f.write(f"caught {e}\n")
    text = stream_llm("third")
    for line in text.splitlines()[:1]:
        print("first line", line)
    f.write(text)
with open(path) as r:
    print(r.read())
