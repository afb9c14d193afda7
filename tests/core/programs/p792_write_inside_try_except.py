"""A write per item inside ``try``/``except``: failed items get an error line instead.

Some answers fail; the handler writes to the same file. A write of a failed answer is never
made, and the order of lines is program order.
"""
import os
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.02)
    if prompt.startswith("bad"):
        raise ValueError(f"refused {prompt}")
    return prompt.upper()


path = os.path.join(tempfile.mkdtemp(), "answers.txt")
with open(path, "w", encoding="utf-8") as f:
    for q in ["one", "bad two", "three", "bad four", "five"]:
        try:
            f.write(f"{q} -> ")
            f.write(ask(q) + "\n")
        except ValueError as e:
            f.write(f"error: {e}\n")
    n = f.write(ask("last"))
    print("wrote", n, "characters last")
    f.write("\n")

with open(path, encoding="utf-8") as f:
    print(f.read(), end="")
