"""Two handlers: the failure is caught by the second one, or by neither."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q == "k":
        raise KeyError(q)
    if q == "v":
        raise ValueError(q)
    if q == "z":
        raise ZeroDivisionError(q)
    return q


def main(qs: list[str]) -> list[str]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except ValueError:
            out.append("value")
        except KeyError as e:
            out.append(f"key {e}")
        print("so far", out)
    return out


print(main(["a", "k", "v", "b"]))
try:
    main(["c", "z", "d"])
except ZeroDivisionError as e:
    print("neither caught", e)
