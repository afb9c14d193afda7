"""A logger with a file handler as well as one on stdout: the tool's records would reach the
file at once, so such calls run in program order; the file and stdout match plain Python."""
import logging
import os
import sys
import tempfile
import time

import opportune

path = os.path.join(tempfile.mkdtemp(), "tools.log")
log = logging.getLogger("tools")
log.setLevel(logging.INFO)
log.addHandler(logging.FileHandler(path))
log.addHandler(logging.StreamHandler(sys.stdout))


@opportune.external
def work(i: int) -> int:
    time.sleep(0.03 - i * 0.01)
    log.info("work %d", i)
    return i * 3


rs = [work(i) for i in range(3)]
print("results", rs)
logging.shutdown()
with open(path) as f:
    print(f.read(), end="")
