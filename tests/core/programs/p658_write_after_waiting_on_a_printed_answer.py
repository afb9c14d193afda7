"""A print of an answer, then the program waits on that answer and writes to stdout itself.
The wait ends as the answer arrives, when the print's text may be being written on another
thread: the write must land after the whole print, its newline included (the race behind
p420's ``ExitStack`` callback writing before a print's newline)."""
import sys
import time

import opportune


@opportune.external
def answer(i):
    time.sleep(0.002)
    return f"answer {i} " + "x" * 20000


for i in range(100):
    x = answer(i)
    print(x)
    ok = 1 if x.startswith("answer") else 0
    sys.stdout.write(f"written {i} {ok}\n")
print("end")
