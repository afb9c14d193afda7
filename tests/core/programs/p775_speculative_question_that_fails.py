"""The speculative external raises on the question asked on the read's first result, which
is kept (the arm does not write): the program meets that failure where plain Python did,
after the output before it."""
import time

import opportune

ROWS = ["a", "b", "c"]


def _store(row):
    ROWS.append(row)


@opportune.external
def decide(text):
    time.sleep(0.03)
    return False


@opportune.external(writes=("rows",))
def add_row(row):
    time.sleep(0.01)
    _store(row)


@opportune.external(reads=("rows",))
def rows():
    time.sleep(0.01)
    return list(ROWS)


@opportune.external(speculative=True)
def ask(prompt):
    time.sleep(0.01)
    if "c" in prompt:
        raise ValueError(f"refused: {prompt}")
    return "ok"


def main():
    add_row("d") if decide("x") else None
    current = rows()
    print("before")
    try:
        answer = ask(" ".join(current))
        print("answer", answer)
    except ValueError as e:
        print("caught", e)
    print("after")


main()
