"""The rest of the body after a guard raises an error of the program's own (not a call's):
it is raised at the iteration plain Python raised it, after exactly its output."""
import time

import opportune


@opportune.external
def weight(q: str) -> int:
    time.sleep(0.02 if q.startswith("s") else 0.005)
    return len(q) - 2


def main(qs: list[str]) -> list[float]:
    out = []
    for q in qs:
        w = weight(q)
        if w < 0:
            print("skip", q)
            continue
        print("weigh", q)
        out.append(10 / w)
    return out


print(main(["abc", "x", "slow", "abcd"]))
try:
    print(main(["abcd", "y", "ab", "abcde"]))
except ZeroDivisionError as e:
    print("error:", e)
