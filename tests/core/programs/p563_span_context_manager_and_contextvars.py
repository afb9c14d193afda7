"""A class with __enter__/__exit__ around tool calls; contextvars."""
import contextvars
import time

import opportune

request_id = contextvars.ContextVar("request_id", default="none")
LOG = []


@opportune.external
def tool(x: int) -> int:
    time.sleep(0.01)
    if x == 3:
        raise RuntimeError("tool broke on 3")
    return x * 10


class Span:
    def __init__(self, name):
        self.name = name
        self.events = []

    def __enter__(self):
        self.token = request_id.set(self.name)
        print("enter", self.name, request_id.get())
        return self

    def __exit__(self, exc_type, exc, tb):
        request_id.reset(self.token)
        print("exit", self.name, exc_type.__name__ if exc_type else None, request_id.get())
        LOG.append((self.name, len(self.events)))
        return exc_type is RuntimeError


def traced(x):
    with Span(f"span{x}") as s:
        r = tool(x)
        s.events.append(r)
        print("inside", request_id.get(), r)
        return r


results = [traced(x) for x in [1, 2, 3, 4]]
print(results)
print(LOG, request_id.get())
ctx = contextvars.copy_context()
print(ctx.run(lambda: (request_id.set("in ctx"), tool(5))[1]), request_id.get())
