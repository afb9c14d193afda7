"""A ``while`` loop whose guard ``continue``s after advancing its counter: the test runs again
after the ``continue`` as after the end of the body."""
import time

import opportune


@opportune.external
def score(n: int) -> int:
    time.sleep(0.005 * (n % 3))
    return n * 7 % 10


def main(limit: int) -> list[int]:
    found = []
    i = 0
    while i < limit:
        i += 1
        s = score(i)
        if s < 5:
            continue
        print("high", i, s)
        found.append(i)
    else:
        print("done at", i)
    return found


print(main(12))
print(main(0))
