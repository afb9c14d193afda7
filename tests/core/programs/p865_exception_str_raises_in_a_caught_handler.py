"""A caught exception whose ``__str__`` raises: the handler's ``print(e)`` raises there, after
the print wrote its first argument, and the program ends with that error. The runtime must
not render the failure itself on the call's thread (an ``__str__`` that raised there left the
call unfinished and the program waiting forever)."""
import time

import opportune


class Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError(f"cannot render {self.args[0]}")


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.endswith("?"):
        raise Unprintable(q)
    return f"ok {q}"


def main(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except Unprintable as e:
            print("caught", e)
            out.append(None)
        print("after", q)
    return out


print(main(["a", "b?", "c"]))
