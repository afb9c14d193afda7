"""print(s, slow(1)) with s a pending set, then s.add(...): plain Python printed the set
before the change."""
import time

import opportune
from _tools import slow


@opportune.external
def labels(n: int) -> set:
    time.sleep(0.02)
    return {f"label{i}" for i in range(n)}


def main():
    s = labels(3)
    print(s, slow(1))
    s.add("zzz")
    s.discard("label0")
    print(len(s))


main()
