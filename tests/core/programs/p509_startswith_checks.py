"""`answer.startswith("Yes")`, `answer.lower().startswith(...)` and `endswith` on answers."""
import time

import opportune


@opportune.external
def ask(q) -> str:
    time.sleep(0.02)
    return ("Yes, because", "No.", "yes indeed", "Maybe")[q % 4]


@opportune.external
def ask_any(q):
    time.sleep(0.02)
    return ("Yes, because", "No.", "yes indeed", "Maybe")[q % 4]


def main():
    print([ask(q).startswith("Yes") for q in range(4)])
    print([ask(q).lower().startswith(("yes", "maybe")) for q in range(4)])
    print([ask_any(q).startswith("Yes") for q in range(4)])
    print(["Y" if ask_any(q).endswith(".") else "-" for q in range(4)])


main()
