"""``f.writelines`` of answers: a list of them, a tuple with plain text, an empty list, and a
generator (which runs the program's code: in program order).
"""
import os
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.02)
    return f"{prompt}!\n"


def lines(n):
    for i in range(n):
        print("generating", i)
        yield ask(f"g{i}")


path = os.path.join(tempfile.mkdtemp(), "lines.txt")
with open(path, "w") as f:
    batch = [ask(q) for q in ["a", "b", "c"]]
    print("returned", f.writelines(batch))
    batch.append("not written\n")
    f.writelines(("plain\n", ask("d")))
    f.writelines([])
    f.writelines(lines(2))
    try:
        f.writelines([ask("e"), 5])
    except TypeError as e:
        print("TypeError:", e)
with open(path) as r:
    print(r.read(), end="")
