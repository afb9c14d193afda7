"""A logging line queued in a try body after a call that fails: the handler catches the
failure and the line, which plain Python never reached, is dropped without a trace."""
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


logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(levelname)s %(message)s")
log = logging.getLogger("prog")
try:
    first = ask("boom")
    log.info("in the body %s", ask("next"))
    print("not printed")
except RuntimeError as e:
    log.info("caught %s", e)
print("after")
