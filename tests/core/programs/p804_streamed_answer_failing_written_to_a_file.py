"""A streamed answer whose stream fails for good, written to a file outside any ``try``:
plain Python raised at the call and wrote none of it, so the file must hold none of it
either; an atexit hook shows the file after the traceback.
"""
import atexit
import os
import tempfile

from _tools import stream_llm, stream_llm_broken

path = os.path.join(tempfile.mkdtemp(), "streamed.txt")


def show():
    with open(path) as r:
        print("file:", repr(r.read()))


atexit.register(show)
f = open(path, "w")
f.write(stream_llm("ok")[:20] + "\n")
f.flush()
print(stream_llm("shown"), file=f)
f.write(stream_llm_broken("lost"))
f.flush()
print("not reached")
