"""A caught exception whose ``__str__`` prints: the handler's ``print`` renders it, so its own
line comes out in the middle of the handler's, once, and before anything the loop prints
after the ``try``."""
import time

import opportune


class Chatty(Exception):
    def __str__(self) -> str:
        print("[rendering]")
        return "chatty " + self.args[0]


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.endswith("?"):
        raise Chatty(q)
    return f"ok {q}"


def main(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except Chatty as e:
            print("caught", e)
            out.append(None)
        print("after", q)
    return out


print(main(["a", "b?", "c", "d?"]))
