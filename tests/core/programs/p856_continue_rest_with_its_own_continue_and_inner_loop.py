"""The rest of the body after a guard holds a ``continue`` of its own (not at its end) and an
inner loop with ``continue`` and ``break``: each still jumps where plain Python jumps."""
import time

import opportune


@opportune.external
def words(q: str) -> list[str]:
    time.sleep(0.01)
    return q.split()


def main(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        ws = words(line)
        if not ws:
            continue
        for w in ws:
            if w == "skip":
                continue
            if w == "stop":
                break
            out.append(w)
        if len(ws) > 3:
            print("long line", line)
            continue
        print("line done", line)
        out.append("|")
    return out


print(main(["a b", "", "c skip d", "e stop f g h", "i"]))
