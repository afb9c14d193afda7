"""A tool registry built by a decorator that stores functions in a dict."""
import time

import opportune

REGISTRY = {}


def tool(name=None):
    def deco(fn):
        wrapped = opportune.external(fn)
        REGISTRY[name or fn.__name__] = wrapped
        return wrapped
    return deco


@tool()
def weather(city: str) -> str:
    time.sleep(0.02)
    return f"sunny in {city}"


@tool("lookup")
def wiki(term: str) -> dict:
    time.sleep(0.02)
    return {"term": term, "len": len(term)}


calls = [("weather", "Oslo"), ("lookup", "python"), ("weather", "Rome"), ("nope", "x")]
results = {}
for name, arg in calls:
    fn = REGISTRY.get(name)
    if fn is None:
        print("unknown tool", name)
        continue
    results[(name, arg)] = fn(arg)
for key, value in results.items():
    print(key, value)
print(sorted(REGISTRY))
print(REGISTRY["weather"].__name__, REGISTRY["lookup"].__name__)
