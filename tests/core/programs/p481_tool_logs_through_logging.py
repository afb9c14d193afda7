"""Tools log through a logger configured before they are called (a handler made at import
holds the real stderr); the program prints to stdout between calls. Compared as one merged
stream: each call's records sit at its place."""
import logging
import time

import opportune

logging.basicConfig(level=logging.INFO, format="%(name)s %(levelname)s %(message)s")
log = logging.getLogger("search")


class Index:
    def __init__(self) -> None:
        self.logger = logging.getLogger("index")

    @opportune.external
    def lookup(self, key: str) -> str:
        time.sleep(0.05 if key == "x" else 0.01)
        self.logger.warning("looked up %s", key)
        return key * 2


@opportune.external
def search(q: str) -> list[str]:
    log.info("searching %r", q)
    time.sleep(0.04 / len(q))
    hits = [q + str(i) for i in range(len(q))]
    log.debug("not shown")
    log.info("%d hits for %r", len(hits), q)
    return hits


idx = Index()
results = [search(q) for q in ["a", "bb", "ccc"]]
print("searched")
keys = [idx.lookup(k) for k in "xyz"]
print(results, keys)
