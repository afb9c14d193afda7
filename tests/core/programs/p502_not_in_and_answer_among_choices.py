"""`"x" not in answer`, `answer in ("yes", "no")`, `answer not in [...]` on pending answers."""
import time

import opportune

from _tools import llm


@opportune.external
def verdict(q):
    time.sleep(0.02)
    return ("yes", "no", "maybe")[q % 3]


def main():
    rows = []
    for q in range(6):
        v = verdict(q)
        a = llm(f"question {q}")
        rows.append((v in ("yes", "no"), v not in ["maybe"], "#" not in a, "ans(" in a))
    for row in rows:
        print(row)
    valid = [v for v in (verdict(q) for q in range(6)) if v in ("yes", "no")]
    print(valid)


main()
