"""A loop whose iterations alternate between an arm that writes and one that does not, each
followed by a read and a speculative question on it, printed per iteration; the prompts also
use an ordinary answer and keyword arguments."""
import time

import opportune

LEDGER = [10]


def _put(amount):
    LEDGER.append(amount)


@opportune.external
def plan(i):
    time.sleep(0.02)
    return {"pay": i % 2 == 0, "amount": i * 5}


@opportune.external
def headline(i):
    time.sleep(0.01)
    return f"week {i}"


@opportune.external(writes=("ledger",))
def pay(amount):
    time.sleep(0.005)
    _put(amount)
    return f"paid {amount}"


@opportune.external(reads=("ledger",))
def ledger():
    time.sleep(0.005)
    return tuple(LEDGER)


@opportune.external(speculative=True)
def summarize(title, entries, *, currency, factor=1):
    time.sleep(0.01)
    return f"{title}: {sum(entries) * factor} {currency} over {len(entries)}"


out = []
for i in range(5):
    p = plan(i)
    paid = pay(p["amount"]) if p["pay"] else None
    entries = ledger()
    title = headline(i)
    s = summarize(title + "!", entries, currency="EUR", factor=p["amount"] + 1)
    out.append(s)
    print(i, paid, s)
print(len(out), ledger())
