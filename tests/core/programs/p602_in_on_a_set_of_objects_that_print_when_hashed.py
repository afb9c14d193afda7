"""`answer in {obj}`, `answer in {obj: v}`, `answer in (obj,)`, with the answer still pending: the objects'
own __hash__ and __eq__ run as often as in plain Python (the deferred test used to hash them
again, rebuilding the set it was handed)."""
import time

import opportune


class Noisy:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        print("eq", self.v, other)
        return self.v == other

    def __hash__(self):
        print("hash", self.v)
        return hash(self.v)


@opportune.external
def word(n) -> str:
    time.sleep(0.02)
    return f"w{n}"


def main():
    known = {Noisy("w5"), Noisy("w6")}
    found = word(5) in known
    print("next")
    print(found)
    table = {Noisy("w7"): 1}
    missing = word(8) not in table
    print("next")
    print(missing, word(7) in table)
    frozen = frozenset([Noisy("w1")])
    print(word(1) in frozen)
    pair = (Noisy("w3"),)
    third = word(3) in pair
    print("next")
    print(third, "w4" in [word(4), Noisy("w4")])


main()
