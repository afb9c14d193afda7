"""Per-call overhead probe: many trivial external calls with no latency at all."""

import sys

import opportune

CALLS = 2000


@opportune.external
def noop(i):
    return i


def main(calls=CALLS):
    values = [noop(i) for i in range(int(calls))]
    print(sum(values))


if __name__ == "__main__":
    main(*sys.argv[1:])
