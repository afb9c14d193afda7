"""A tool sets up a module-level client on first use and counts its uses through a helper that
rebinds globals: each call sees the count as its own call left it, as in plain Python (the
tool changes module state through the helper, so the program waits for it)."""
import time

import opportune

_client = None
HITS = 0


class Client:
    def call(self, x):
        return x.upper()


def init():
    global _client, HITS
    HITS += 1
    if _client is None:
        _client = Client()


@opportune.external
def tool(x: str) -> str:
    init()
    time.sleep(0.02)
    return f"{_client.call(x)}:{HITS}"


print([tool(w) for w in "ab"])
