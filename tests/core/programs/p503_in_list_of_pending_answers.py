"""`x in answers` where the list holds pending answers, and the list changed after the test."""
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.02)
    return f"a{q % 4}"


def main():
    found = []
    for r in range(3):
        answers = [ask(10 * r + q) for q in range(4)]
        found.append(("a2" in answers, "a9" not in answers))
        answers.append("a9")  # after the test: it must not see this item
        found.append("a9" in answers)
    print(found)
    pool = [ask(q) for q in range(3)]
    seen = []
    for q in range(5):
        a = ask(q + 1)
        seen.append(a in pool)
        pool.append(a)
    print(seen, len(pool))


main()
