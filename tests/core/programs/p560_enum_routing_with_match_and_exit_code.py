"""Enum-based routing with a match statement on an answer."""
import enum
import sys
import time

import opportune


class Route(enum.Enum):
    SEARCH = "search"
    MATH = "math"
    CHAT = "chat"


@opportune.external
def classify(q: str) -> str:
    time.sleep(0.02)
    if any(c.isdigit() for c in q):
        return "math"
    if q.endswith("?"):
        return "search"
    return "chat"


@opportune.external
def do_search(q):
    time.sleep(0.01)
    return f"search:{q}"


@opportune.external
def do_math(q):
    time.sleep(0.01)
    return f"math:{q}"


def handle(q: str) -> str:
    route = Route(classify(q))
    match route:
        case Route.SEARCH:
            return do_search(q)
        case Route.MATH:
            return do_math(q)
        case _:
            return "chat:" + q


qs = ["who is x?", "2+2", "hello", "what is 7?"]
outs = [handle(q) for q in qs]
for o in outs:
    print(o)
counts = {}
for q in qs:
    match classify(q):
        case "math" | "search" as kind:
            counts[kind] = counts.get(kind, 0) + 1
        case other:
            print("other", other)
print(counts)
match {"route": classify("why?"), "n": 3}:
    case {"route": "search", "n": int(n)} if n > 2:
        print("search with", n)
    case _:
        print("fallthrough")
try:
    Route(classify("bad") + "x")
except ValueError as e:
    print("ValueError:", e)
sys.exit(len(outs) - 4 + counts.get("math", 0))
