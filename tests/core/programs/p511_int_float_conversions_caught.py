"""`int(answer)` and `float(answer)` on answers, some of which are not numbers (caught)."""
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.02)
    return ("12", " 7 ", "3.5", "seven", "1e3")[q % 5]


def main():
    ints, floats = [], []
    for q in range(5):
        a = ask(q)
        try:
            ints.append(int(a))
        except ValueError as exc:
            ints.append(f"ValueError: {exc}")
        try:
            floats.append(float(a) * 2)
        except ValueError as exc:
            floats.append(f"ValueError: {exc}")
    print(ints)
    print(floats)
    total = sum(int(ask(q)) for q in (0, 1, 5))
    print("total", total)


main()
