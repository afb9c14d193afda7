"""A request id in a ContextVar, a decimal precision and a threading.local user, read by an
external, by a function of the program that decides on an answer, and by an if arm waiting on
one: each sees what the program set, as in plain Python, where all of it runs on the
program's thread in the program's context."""
import contextvars
import decimal
import threading
import time
from decimal import Decimal

import opportune

request_id = contextvars.ContextVar("request_id", default="none")
state = threading.local()


@opportune.external
def tool(x: str) -> str:
    time.sleep(0.02)
    return f"{x}@{request_id.get()}:{Decimal(1) / Decimal(3)}"


@opportune.external
def score(x: str) -> int:
    time.sleep(0.04 if x == "a" else 0.01)
    return len(x)


def who(x):
    s = score(x)
    if s % 2:
        return f"{x}:{getattr(state, 'user', 'nobody')}"
    return f"{x}:{request_id.get()}"


def price(x):
    s = score(x)
    if s > 0:
        return Decimal(s) / Decimal(7)
    return Decimal(0)


decimal.getcontext().prec = 4
print(tool("before"))
request_id.set("req-7")
state.user = "alice"
print([tool(w) for w in "bc"])
print([who(w) for w in ["a", "bb", "ccc", "dd"]])
print([str(price(w)) for w in ["a", "bb"]])
for w in ["a", "bb"]:
    if score(w) > 1:
        tag = f"long/{request_id.get()}/{Decimal(2) / Decimal(3)}"
    else:
        tag = f"short/{request_id.get()}"
    print(w, tag)
