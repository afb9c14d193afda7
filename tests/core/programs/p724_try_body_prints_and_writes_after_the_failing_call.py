"""The body's expression calls a function of the program that prints around its call, and
builds a tuple whose second call writes: after a failing call plain Python printed nothing
more and made no write, yet the handler's output and the writes after the try go on."""
import time

import _tools
import opportune
from _tools import send


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.03 if "slow" in q else 0.01)
    print("tool prints", q)
    if "bad" in q:
        raise ValueError(q)
    return q.upper()


def helper(q: str) -> str:
    print("asking", q)
    a = ask(q)
    print("helper got an answer for", q)
    return a


def main(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        try:
            out.append(helper(q))
        except ValueError as e:
            out.append(None)
            print("handled", e)
        try:
            pair = (ask("p" + q), send(q))
        except ValueError:
            pair = "no pair"
        print("pair", q, pair)
        send("after " + q)
    return out


print(main(["a", "bad", "slow-bad", "b"]))
print(_tools.LOG)
