"""A tool whose helper (not itself external) prints, and a tool that calls another printing
tool: the output of the whole call, nested ones included, lands at the call's place."""
import time
import traceback

import opportune


def report(msg: str) -> None:
    print("report:", msg)


@opportune.external
def inner(x: int) -> int:
    print(f"  inner {x}")
    return x + 1


@opportune.external
def outer(x: int) -> int:
    report(f"outer {x} start")
    time.sleep(0.01 * (3 - x))
    y = inner(x)
    try:
        {}[x]
    except KeyError:
        traceback.print_exc(limit=0)
    report(f"outer {x} end")
    return y


rs = [outer(x) for x in range(3)]
print("issued")
print(rs)
