"""A tool prints, then fails: plain Python shows what it printed, then the traceback, and
nothing of what later calls (already running under opportune) printed."""
import time

import opportune


@opportune.external
def step(i: int) -> int:
    print(f"step {i} begins")
    time.sleep(0.03 if i == 1 else 0.005)
    if i == 1:
        print("step 1 is failing")
        raise RuntimeError("step 1 broke")
    print(f"step {i} ends")
    return i


print("run")
outs = [step(i) for i in range(4)]
print("never printed", outs)
