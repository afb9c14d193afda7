"""json.loads of answers with a fallback on JSONDecodeError."""
import json
import time

import opportune


@opportune.external
def ask(i: int) -> str:
    time.sleep(0.01)
    if i % 3 == 0:
        return '{"name": "item%d", "score": %d}' % (i, i * 2)
    if i % 3 == 1:
        return "Sure! Here is the JSON: {\"name\": \"x\"}"
    return '```json\n{"name": "fenced", "score": 1}\n```'


def parse(text: str) -> dict:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        print("bad json:", e.msg, "at", e.pos)
        start, end = text.find("{"), text.rfind("}")
        if start >= 0:
            try:
                return json.loads(text[start:end + 1])
            except json.JSONDecodeError:
                pass
        return {"raw": text}


answers = [ask(i) for i in range(6)]
parsed = [parse(a) for a in answers]
for p in parsed:
    print(p.get("name"), p.get("score", "-"))
total = sum(p.get("score", 0) for p in parsed)
print("total", total)
try:
    json.loads(ask(1))
except ValueError as e:
    print(type(e).__name__, e)
