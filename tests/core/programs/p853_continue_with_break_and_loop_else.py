"""A guard with ``continue`` in a loop that also ends with ``break`` and has an ``else``:
``continue`` never skips the ``else``, ``break`` does; the loop stops where plain Python stops."""
import time

import opportune


@opportune.external
def check(q: str) -> str:
    time.sleep(0.01)
    return "skip" if q.startswith("x") else ("stop" if q == "end" else "ok")


def main(items: list[str]) -> list[str]:
    seen = []
    for q in items:
        verdict = check(q)
        if verdict == "skip":
            continue
        if verdict == "stop":
            print("stopping at", q)
            break
        seen.append(q)
        print("seen", q)
    else:
        print("no stop")
    return seen


def tally(items: list[str]) -> list[str]:
    ok = []
    for q in items:
        verdict = check(q)
        if verdict == "skip":
            continue
        ok.append(q)
    else:
        print("loop else ran with", len(ok))
    return ok


print(main(["a", "xb", "c", "end", "d"]))
print(main(["a", "xb"]))
print(tally(["xa", "b", "xc", "d"]))
