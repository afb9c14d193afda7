"""The filter loop at the top level of the script: the guard's rest becomes its ``else`` arm
there too; the list it fills is read after the loop, and the loop's name after it."""
import time

import opportune


@opportune.external
def classify(q: str) -> str:
    time.sleep(0.03 if q.startswith("s") else 0.01)
    return "other" if q.startswith("x") else "question"


questions = ["a?", "xb", "slow?", "xd", "e?"]
hits = []
for q in questions:
    kind = classify(q)
    if not kind.startswith("q"):
        print("skipping", q)
        continue
    print(q, kind)
    hits.append(q)
print(hits, q, kind)
