"""``else`` runs only when the call succeeded, outside the handler's reach; ``finally`` runs
either way, after the handler or the else."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.startswith("bad"):
        raise ValueError(q)
    return q + "!"


def with_else(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            r = ask(q)
        except ValueError:
            out.append("caught " + q)
        else:
            out.append("else " + r)
            print("else", r)
        print("after", q)
    return out


def with_finally(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except ValueError:
            out.append("caught")
        finally:
            print("finally", q, len(out))
    return out


def else_raises(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            r = ask(q)
        except ValueError:
            out.append("caught")
        else:
            out.append(r)
            if q == "boom":
                print("else raises at", q, out)
                raise KeyError(q)
    return out


print(with_else(["a", "bad", "b"]))
print(with_finally(["c", "bad", "d"]))
try:
    else_raises(["e", "bad", "boom", "f"])
except KeyError as e:
    print("else raised", e)
