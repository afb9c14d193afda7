"""`in` on each answer of a loop of calls (issue #2): labels and flags from unannotated tools."""
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.03)
    return "yes, surely" if q % 3 else "no"


labels = [("Y" if ask(q) == "yes, surely" else "N") for q in range(6)]
print(labels)
labels = [("Y" if "yes" in ask(q) else "N") for q in range(6)]
print(labels)
flags = ["yes" in ask(q) for q in range(6)]
print(flags)
print(sum(flags), [i for i, f in enumerate(flags) if f])
