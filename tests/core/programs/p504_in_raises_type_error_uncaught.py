"""`7 in answer` on a text answer raises TypeError where plain Python raises it; later output
never appears."""
import time

import opportune


@opportune.external
def count(q):
    time.sleep(0.02)
    return str(q * 7)


print("start")
hits = ["7" in count(q) for q in range(3)]
print(hits)
n = count(5)
print("before the bad test")
bad = 7 in n
print("never printed", bad)
