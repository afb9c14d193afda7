"""The handler itself fails (a division by zero): what was printed before stays, the loop stops
there, and the error is the handler's."""
import time

import opportune


@opportune.external
def ask(q: str) -> int:
    time.sleep(0.02)
    if q == "bad":
        raise ValueError(q)
    return len(q)


def main(qs: list[str], zero: int) -> list[int]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except ValueError:
            out.append(1 // zero)
        print("after", q, len(out))
    return out


print(main(["aa", "bad", "b"], 1))
main(["cc", "d", "bad", "e"], 0)
