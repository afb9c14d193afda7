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
    for q in range(4):
        items = [ask(q), None, "yes"]  # "yes" in None raises, when any() gets that far
        try:
            print(any("yes" in a for a in items), all("no" in a for a in items[::2]))
        except TypeError as exc:
            print("TypeError:", exc)
    mixed = [ask(0), False, ask(3)]
    print(any(x for x in [m == "yes" if type(m) is str else m for m in mixed]))
    print(any(x == "yes" for x in [ask(0), "no", ask(7)]), all(x == "no" for x in [ask(1), "no", ask(3)]))
    flags = ["yes" in ask(q) for q in range(5)]
    print(any(flags), all(flags), flags.count(True))


main()
