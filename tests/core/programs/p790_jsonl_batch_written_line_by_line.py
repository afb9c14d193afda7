"""A batch job writing one JSON line per answer, the common shape of an LLM batch run.

Lines are written from module code, from a function, from an ``if`` arm that depends on an
answer, and through nested ``with`` blocks; progress goes to stdout in between. The file
reads back in program order.
"""
import json
import os
import tempfile
import time

import opportune


@opportune.external
def ask(prompt: str) -> str:
    time.sleep(0.03 if prompt.endswith("1") else 0.01)
    return f"answer to {prompt}"


@opportune.external
def grade(answer: str) -> int:
    time.sleep(0.01)
    return len(answer) % 3


def record(f, i, q):
    a = ask(q)
    n = f.write(json.dumps({"id": i, "q": q, "a": a}) + "\n")
    return n


path = os.path.join(tempfile.mkdtemp(), "out.jsonl")
questions = [f"q{i}" for i in range(4)]
counts = []
with open(path, "w") as f:
    for i, q in enumerate(questions):
        counts.append(record(f, i, q))
        print("queued", q)
    for i, q in enumerate(questions):
        a = ask(q + "!")
        if grade(a) == 1:
            f.write(f"graded one: {a}\n")
        else:
            f.write(f"graded other: {a}\n")
    with open(path + ".side", "w") as g:
        with open(path + ".more", "w") as h:
            g.write(ask("side"))
            h.write(ask("more"))
        f.write("after inner with\n")
print("counts", counts)
with open(path) as r:
    print(r.read(), end="")
for suffix in (".side", ".more"):
    with open(path + suffix) as r:
        print(suffix, r.read())
