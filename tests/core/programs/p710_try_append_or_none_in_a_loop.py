"""The commonest error handling: ask once per item, append the answer or None on failure.
The failing call is caught where plain Python caught it; what the loop prints lands in order."""
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.03 if q.startswith("s") else 0.01)
    if "bad" in q:
        raise ValueError(f"cannot answer {q}")
    return f"answer to {q}"


def main(qs: list[str]) -> list[object]:
    out = []
    for q in qs:
        try:
            out.append(ask(q))
        except ValueError:
            out.append(None)
            print("fell back for", q)
        print("asked", q, len(out))
    return out


print(main(["a", "bad1", "slow", "b", "bad2", "s-bad3", "c"]))
print(main([]))
print(main(["bad"]))
