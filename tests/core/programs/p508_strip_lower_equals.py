"""`answer.strip().lower() == "yes"` on annotated and unannotated answers."""
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.02)
    return ("  Yes ", "no\n", " YES")[q % 3]


@opportune.external
def ask_text(q) -> str:
    time.sleep(0.02)
    return ("  Yes ", "no\n", " YES")[q % 3]


def main():
    print([ask(q).strip().lower() == "yes" for q in range(5)])
    print([ask_text(q).strip().lower() == "yes" for q in range(5)])
    votes = 0
    for q in range(5):
        if ask_text(q).strip().lower() == "yes":
            votes += 1
    print("votes", votes)


main()
