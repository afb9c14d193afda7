"""A caught exception whose ``__str__`` reads the program's state, which the loop changes on
the next iteration: the handler renders it as the state stood when the call failed."""
import time

import opportune

PROGRESS = {"step": 0}


class Late(Exception):
    def __str__(self) -> str:
        return f"{self.args[0]} failed at step {PROGRESS['step']}"


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.03 if q.endswith("?") else 0.01)
    if q.endswith("?"):
        raise Late(q)
    return q.upper()


def main(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        PROGRESS["step"] += 1
        try:
            out.append(ask(q))
        except Late as e:
            out.append(f"error: {e}")
    return out


print(main(["a", "b?", "c", "d?", "e"]))
