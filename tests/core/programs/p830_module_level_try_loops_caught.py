"""Module-level ``try`` statements in loops, as a script or a code action writes them: each
body is one call and the handler a fallback, so the statements become branches on the call's
outcome at module level too; results, handler output and the exception text are plain
Python's."""
import json
import time

import opportune


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.startswith("bad"):
        raise ValueError(f"cannot answer {q}")
    if q.startswith("prose"):
        return "not json"
    return json.dumps({"q": q})


out = []
for q in ["a", "bad1", "b", "bad2"]:
    try:
        out.append(ask(q))
    except ValueError:
        out.append(None)
print(out)

results = []
for q in ["c", "bad3", "d"]:
    try:
        r = ask(q)
    except Exception as e:
        r = f"error: {e}"
    results.append(r)
print(results)

parsed = []
for q in ["e", "prose1", "f"]:
    try:
        data = json.loads(ask(q))
    except json.JSONDecodeError:
        data = {}
    parsed.append(data)
print(parsed)

found = {}
try:
    found["first"] = ask("g")
except ValueError as err:
    print("handler", err)
    found["first"] = "fallback"
try:
    found["second"] = ask("bad4")
except ValueError as err:
    print("handler", err)
    found["second"] = "fallback"
print(found)
print([n for n in dir() if n.startswith("__opp")])
