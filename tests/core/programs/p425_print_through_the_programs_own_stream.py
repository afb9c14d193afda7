"""stdout replaced by the program's own stream object (a tee that counts lines and keeps a
copy), directly and through ``contextlib.redirect_stdout``, while answers are pending: its
``write`` runs where plain Python ran it, so the line count and the copy the program reads
right after are the ones plain Python saw, and the lines keep their order."""
import contextlib
import io
import sys

from _tools import llm


class Tee:
    def __init__(self, *streams):
        self.streams = streams
        self.lines = 0

    def write(self, s):
        self.lines += s.count("\n")
        for st in self.streams:
            st.write(s)
        return len(s)

    def flush(self):
        for st in self.streams:
            st.flush()


copy = io.StringIO()
tee = Tee(sys.stdout, copy)
print(llm("a"), file=tee)
with contextlib.redirect_stdout(tee):
    print(llm("b"))
    print("plain inside")
print("tee lines", tee.lines, repr(copy.getvalue()))

err = Tee(sys.stdout)
saved = sys.stderr
sys.stderr = err
print(llm("to stderr"), file=sys.stderr)
sys.stderr = saved
print("stderr lines", err.lines)

saved = sys.stdout
sys.stdout = Tee(saved)
for i in range(3):
    print(i, llm(str(i)))
counted = sys.stdout.lines
sys.stdout = saved
print("counted", counted, llm("after"))
