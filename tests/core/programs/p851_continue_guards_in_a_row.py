"""Several guards in a row, one written ``if not C: continue``, each on its own call; the
later guard's call is made only for the items the earlier guard let through."""
import time

import opportune


@opportune.external
def relevant(q: str) -> bool:
    time.sleep(0.02 if q.startswith("s") else 0.005)
    return not q.startswith("x")


@opportune.external
def grade(q: str) -> int:
    time.sleep(0.01)
    print("grading", q)
    return len(q)


def main(items: list[str]) -> dict[str, int]:
    grades = {}
    for q in items:
        if not relevant(q):
            continue
        g = grade(q)
        if g < 3:
            print("too short:", q)
            continue
        if g > 8:
            continue
        grades[q] = g
        print("kept", q, g)
    return grades


print(main(["abc", "xyz", "ab", "slow one", "a much longer one", "xx", "fine"]))
