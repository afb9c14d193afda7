"""A converted try in a function called from the caller's try body: a failure the inner handler
does not catch is caught by the caller's, after what plain Python printed before it."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.startswith("v"):
        raise ValueError(q)
    if q.startswith("k"):
        raise KeyError(q)
    return q


def inner(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except ValueError:
            out.append("v-fallback")
        print("inner", q, out)
    return out


def outer(qs: list[str]) -> object:
    try:
        got = inner(qs)
        print("inner returned", got)
        return got
    except KeyError as e:
        print("outer caught", e)
        return None


print(outer(["a", "v1", "b"]))
print(outer(["c", "v2", "k1", "d"]))
