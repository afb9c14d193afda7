"""A function of the program's collects the results of calls made under an `if` into a list it
returns: the external given that list sees the answers themselves."""
import time

import opportune


@opportune.external
def llm(p: str) -> str:
    time.sleep(0.02)
    return p.upper()


@opportune.external
def check(xs: list) -> str:
    return ",".join(type(x).__name__ + ":" + str(x) for x in xs)


def collect(words):
    out = []
    for w in words:
        if len(w) > 1:
            out = out + [llm(w)]
    return out


r = collect(["ab", "c", "de"])
print(check(r))
print(check([r, {"k": r}]))
print("end")
