"""sys.exit with a code computed from answers."""
import sys
import time

import opportune


@opportune.external
def grade(x: int) -> int:
    time.sleep(0.01)
    return x % 3


scores = [grade(i) for i in range(7)]
failures = sum(1 for s in scores if s == 0)
print("scores", scores, "failures", failures)
if failures > 2:
    print("too many failures", file=sys.stderr)
sys.exit(failures)
