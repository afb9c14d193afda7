"""Tools log through self.logger and logging.getLogger(__name__) and print a traceback: they run
in program order, so their records land where plain Python writes them."""
import logging
import sys
import time
import traceback

import opportune

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")


class Service:
    def __init__(self):
        self.logger = logging.getLogger("svc")

    @opportune.external
    def fetch(self, x: str) -> str:
        time.sleep(0.04 if x == "a" else 0.01)
        self.logger.info("fetched %s", x)
        return x.upper()


@opportune.external
def lookup(x: str) -> str:
    time.sleep(0.04 if x == "a" else 0.01)
    logging.getLogger(__name__).info("looked up %s", x)
    try:
        raise KeyError(x)
    except KeyError:
        traceback.print_exc(limit=0, file=sys.stdout)
    return x * 2


s = Service()
print([s.fetch(w) for w in "ab"])
print([lookup(w) for w in "ab"])
