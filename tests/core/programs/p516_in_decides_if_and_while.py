"""An `if` and a `while` decided by `in` on pending answers; no call made past a decision
plain Python did not reach."""
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.02)
    return "done" if q >= 3 else "more"


def main():
    results = []
    for q in range(5):
        a = ask(q)
        if "done" in a:
            results.append(f"{q} done")
        else:
            results.append(f"{q} more")
    print(results)
    q = 0
    while "done" not in ask(q):
        q += 1
    print("stopped after", q)
    step = 0
    answer = ask(step)
    while "more" in answer:
        step += 1
        print("step", step)
        answer = ask(step)
    print(answer)


main()
