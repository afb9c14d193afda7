"""``map`` of an external or of the program's own function, consumed in several ways.

The calls are made as ``map`` is iterated, in the order plain Python makes them: a ``next``
takes one, ``zip`` with a shorter sequence stops it early, and a failing call is met where
plain Python meets it, after the calls before it.
"""
import time

import opportune

made = []


@opportune.external
def classify(text: str) -> str:
    time.sleep(0.02)
    made.append(text)
    if text == "broken":
        raise RuntimeError("classifier failed on broken")
    return "tech" if "crash" in text or "login" in text else "other"


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    return f"A[{q}]"


tickets = ["app crashes", "hello", "login broken", "refund please"]
labels = list(map(classify, tickets))
tech = [t for t, label in zip(tickets, labels) if label == "tech"]
replies = list(map(lambda t: ask(f"Reply to: {t}"), tech))
print(labels)
print(replies)


def reply(t):
    return ask(t.upper())


print(sorted(map(reply, tickets[:2])), sum(map(len, map(ask, "xyz"))))
for t, label in zip(tickets, map(classify, ["crash", "x"])):
    print(t, label)
it = map(classify, ["one", "two", "three"])
print(next(it))
print(sorted(made))
print(dict(zip("ab", map(ask, "ab"))), tuple(map(ask, "c")))
try:
    print(list(map(classify, ["ok", "broken", "later"])))
except RuntimeError as e:
    print("failed:", e)
print(sorted(made))
