"""The guard compares with a name the rest of the body bound in an earlier iteration: each
iteration's condition depends on the one before, as in plain Python."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02 if q.startswith("s") else 0.005)
    return q.rstrip("0123456789")


def main(qs: list[str]) -> list[str]:
    prev = None
    out = []
    for q in qs:
        a = ask(q)
        if a == prev:
            print("same as before:", q)
            continue
        prev = a
        out.append(a)
        print("new", a)
    print("prev", prev)
    return out


print(main(["a1", "a2", "s3", "b1", "b2", "a3"]))
