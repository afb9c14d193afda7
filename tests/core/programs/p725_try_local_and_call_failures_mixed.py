"""In one loop the body fails in three ways: a local error raised while the expression is
evaluated (``int("x")``), a call that fails later, and a call that succeeds; the handler's
changes and prints land in the order plain Python made them."""
import time

import opportune


@opportune.external
def ask(n: int) -> str:
    time.sleep(0.04 if n % 2 else 0.01)
    if n % 3 == 0:
        raise ValueError(f"no answer for {n}")
    return f"a{n}"


def main(items: list[str]) -> list[object]:
    out = []
    seen = []
    for item in items:
        try:
            out.append(ask(int(item)))
        except ValueError as e:
            out.append(str(e))
            seen.append(type(e).__name__)
            print("handled", item, e)
    print("seen", seen)
    return out


print(main(["1", "x", "3", "4", "y", "6", "7"]))
