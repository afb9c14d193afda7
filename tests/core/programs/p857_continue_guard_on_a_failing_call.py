"""A guard on a call that fails for one item: the items before it are printed and collected,
the failure is raised where plain Python raised it, and nothing after it is printed."""
import time

import opportune


@opportune.external
def classify(q: str) -> str:
    time.sleep(0.03 if q.startswith("s") else 0.005)
    if q == "boom":
        raise RuntimeError(f"cannot classify {q}")
    return "other" if q.startswith("x") else "question"


def main(questions: list[str]) -> list[str]:
    hits = []
    for q in questions:
        kind = classify(q)
        if kind == "other":
            print("skip", q)
            continue
        print(q, kind)
        hits.append(q)
    return hits


print(main(["a", "xb", "slow", "c"]))
try:
    main(["a", "slow", "xb", "boom", "d", "xe"])
except RuntimeError as e:
    print("caught", e)
print(main(["s1", "boom"]))
