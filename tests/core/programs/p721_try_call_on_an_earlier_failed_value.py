"""The body's call takes a value an earlier call computed, and that call failed before the try:
plain Python raised there, so the handler (naming that very class) must not catch it."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.startswith("bad"):
        raise ValueError(q)
    return q + "."


def main() -> list[object]:
    first = ask("bad first")
    out = []
    for q in ["a", "b"]:
        try:
            out.append(ask(first + q))
        except ValueError:
            out.append("caught in the loop: wrong")
        print("iteration", q)
    return out


try:
    print(main())
except ValueError as e:
    print("caught outside", e)
