"""A guard with ``continue`` in a generator (the rest yields) and in a function nested in
another (the rest reads a variable of the outer function)."""
import time

import opportune


@opportune.external
def keep(q: str) -> bool:
    time.sleep(0.005)
    return not q.startswith("x")


def kept(qs: list[str]):
    for q in qs:
        if not keep(q):
            continue
        yield q.upper()


def outer(qs: list[str]) -> list[str]:
    suffix = "!"

    def inner() -> list[str]:
        found = []
        for q in qs:
            if not keep(q):
                continue
            found.append(q + suffix)
            print("found", q)
        return found

    return inner()


print(list(kept(["a", "xb", "c"])))
print(outer(["xa", "b", "c"]))
