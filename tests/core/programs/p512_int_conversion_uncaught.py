"""`int(answer)` on an answer that is not a number: ValueError with plain Python's traceback
and message; output before it appears, after it never."""
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.02)
    return ("12", "seven")[q % 2]


def parse(q):
    return int(ask(q))


values = [parse(0), parse(2)]
print("parsed", values)
bad = parse(1)
print("never printed", bad + 1)
