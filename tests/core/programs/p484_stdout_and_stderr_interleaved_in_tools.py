"""Tools and the program write to stdout and stderr in turn, with and without newlines and
flushes: merged, the interleaving is plain Python's."""
import sys
import time

import opportune


@opportune.external
def noisy(i: int) -> int:
    sys.stdout.write(f"[{i} out")
    sys.stderr.write(f"[{i} err]\n")
    time.sleep(0.03 - i * 0.01)
    sys.stdout.write("]\n")
    sys.stdout.flush()
    print(f"{i} warns", file=sys.stderr)
    return i


print("a", end=" ")
print("b", file=sys.stderr)
vals = []
for i in range(3):
    vals.append(noisy(i))
    print(f"after {i}", file=sys.stderr if i % 2 else sys.stdout)
print(vals)
