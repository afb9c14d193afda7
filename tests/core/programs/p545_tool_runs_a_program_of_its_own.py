"""A tool whose body runs a program of its own with opportune.run: that run's calls and prints
are the tool's output and land at the tool's place, also when the tool's turn comes while
it runs."""
import time

import opportune


@opportune.external
def leaf(x: int) -> int:
    time.sleep(0.01)
    print("leaf", x)
    return x + 1


def sub(n):
    out = [leaf(n * 10 + i) for i in range(2)]
    print("sub done", n)
    return out


@opportune.external
def outer(n: int) -> list:
    time.sleep(0.005 * (3 - n))
    print("outer", n)
    return opportune.run(sub, n)


print(outer(1))
a = outer(2)
b = outer(3)
print("issued")
print(a, b)
