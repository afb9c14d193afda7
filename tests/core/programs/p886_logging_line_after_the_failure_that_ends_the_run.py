"""A logging line queued after a call that fails and ends the run: the traceback is the
call's, and neither the line nor anything after it is written."""
import logging
import sys
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.03)
    if "boom" in prompt:
        raise RuntimeError(f"failed on {prompt}")
    return f"A<{prompt}>"


logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
log = logging.getLogger("prog")
log.info("first %s", ask("one"))
print("printed")
last = ask("boom")
log.error("never written %s", ask("two"))
print("never printed", last)
