"""``continue`` in an ``elif`` of a chain and at the end of an ``else`` arm: what follows the
``if`` runs only on the arms that do not continue."""
import time

import opportune


@opportune.external
def label(q: str) -> str:
    time.sleep(0.02 if q.startswith("s") else 0.005)
    return {"a": "spam", "b": "ham", "c": "eggs"}.get(q[-1], "other")


def main(items: list[str]) -> tuple[list[str], list[str]]:
    kept, spam = [], []
    for q in items:
        kind = label(q)
        if kind == "spam":
            spam.append(q)
            continue
        elif kind == "other":
            print("skipping", q)
            continue
        print("keeping", q, kind)
        kept.append(q)
    for q in items:
        kind = label(q)
        if kind in ("ham", "eggs"):
            print("tasty", q)
        else:
            print("not tasty", q)
            continue
        kept.append(kind)
    return kept, spam


print(main(["xa", "sb", "c", "d", "sa", "b"]))
