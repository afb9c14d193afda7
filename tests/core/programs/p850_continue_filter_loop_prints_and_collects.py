"""The commonest filter loop: classify each item, skip the ones that do not fit with
``continue``, print and collect the rest. What it prints, and in which order, is plain Python's."""
import time

import opportune


@opportune.external
def classify(q: str) -> str:
    time.sleep(0.03 if q.startswith("s") else 0.01)
    return "other" if q.startswith("x") else "question"


def main(questions: list[str]) -> list[str]:
    hits = []
    for q in questions:
        kind = classify(q)
        if kind == "other":
            continue
        print(q, kind)
        hits.append(q)
    print("hits so far", len(hits))
    return hits


print(main(["a?", "xb", "slow?", "xd", "e?", "f?"]))
print(main(["xa", "xb"]))
print(main([]))
