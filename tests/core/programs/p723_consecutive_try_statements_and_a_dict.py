"""Consecutive try statements outside a loop, one storing into a dict the function made, one
whose body is the call alone, and statements after the call in the body."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if "bad" in q:
        raise ValueError(q)
    return q[::-1]


def main(a: str, b: str, c: str) -> dict[str, object]:
    found = {}
    count = []
    try:
        found["a"] = ask(a)
    except ValueError as e:
        found["a"] = f"no {e}"
    try:
        ask(b)
    except ValueError:
        count.append("b failed")
    try:
        r = ask(c)
        s = r
        count.append(s)
        found["c"] = s
    except ValueError:
        count.append("c failed")
    print("count", count)
    return found


print(main("abc", "bad", "xyz"))
print(main("bad", "ok", "bad c"))
