"""`any("yes" in a for a in answers)`, `all(...)` and any() over a list of pending flags."""
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.02)
    return "yes" if q % 4 == 3 else "no"


def main():
    out = []
    for r in range(3):
        answers = [ask(4 * r + q + (r == 1)) for q in range(3)]
        out.append((any("yes" in a for a in answers), all("no" in a for a in answers)))
    print(out)
    flags = ["yes" in ask(q) for q in range(5)]
    print(any(flags), all(flags), flags.count(True))


main()
