"""The rest of the body hands the list it fills to a tool and prints it: the tool sees the
list as plain Python left it at that point."""
import time

import opportune


@opportune.external
def classify(q: str) -> str:
    time.sleep(0.02 if q.startswith("s") else 0.005)
    return "other" if q.startswith("x") else "question"


@opportune.external
def summarize(items: list[str]) -> str:
    time.sleep(0.005)
    return ",".join(items)


def main(qs: list[str]) -> list[str]:
    hits = []
    for q in qs:
        if classify(q) == "other":
            continue
        hits.append(q)
        print(summarize(hits), len(hits), hits)
    return hits


print(main(["a", "xb", "slow", "c"]))
