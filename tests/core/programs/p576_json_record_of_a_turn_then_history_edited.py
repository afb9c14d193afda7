"""A turn is logged as a JSON record made of the pending answer and the program's metadata
and history, which the program then edits for the next turn: the record holds them as they
were when it was made, as in plain Python (json.dumps is applied once the answer exists)."""
import json
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    return q.upper()


meta = {"turn": 1, "tags": ["a"]}
record = json.dumps({"meta": meta, "answer": ask("hi")})
meta["turn"] = 2
meta["tags"].append("b")
print(record)
history = [{"role": "user", "content": "hi"}]
payload = json.dumps(history + [{"role": "assistant", "content": ask("yo")}], indent=1)
history[0]["content"] = "edited"
print(payload)
n = len([meta, ask("x")])
items = sorted([ask("b"), ask("a")] + meta["tags"])
meta["tags"].append("c")
print(n, items)
line = " ".join([ask("j")] + meta["tags"])
meta["tags"].clear()
print(line)
