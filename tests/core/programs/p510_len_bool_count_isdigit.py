"""`len(answer) > 10`, `bool(answer)`, `answer.count("x")`, `answer.isdigit()` on answers."""
import time

import opportune


@opportune.external
def ask(q) -> str:
    time.sleep(0.02)
    return ("", "42", "a long answer, xx", "x")[q % 4]


@opportune.external
def ask_any(q):
    time.sleep(0.02)
    return ("", "42", "a long answer, xx", "x")[q % 4]


def main():
    for f in (ask, ask_any):
        print([len(f(q)) > 10 for q in range(4)])
        print([bool(f(q)) for q in range(4)])
        print([f(q).count("x") for q in range(4)])
        print([f(q).isdigit() for q in range(4)])
    empty = [q for q in range(4) if not ask(q)]
    print(empty)


main()
