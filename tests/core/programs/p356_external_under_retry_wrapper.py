"""A tool wrapped by a retry decorator (functools.wraps) that records each failed attempt in a
module-level list: the wrapper's own change is seen (not only the wrapped function's source),
so the program waits for the call and prints the attempts plain Python printed."""
import functools
import time

import opportune

MODEL = "small"
ATTEMPTS = []


def retry(f):
    @functools.wraps(f)
    def wrapper(*a, **k):
        for i in range(3):
            try:
                return f(*a, **k)
            except ValueError:
                ATTEMPTS.append(i)
                time.sleep(0.01)
        return "gave up"
    return wrapper


@opportune.external
@retry
def tool(x: str) -> str:
    time.sleep(0.02)
    if len(ATTEMPTS) < 2:
        raise ValueError("flaky")
    return f"{x}@{MODEL}"


a = tool("x")
MODEL = "big"
print(a, tool("y"), ATTEMPTS)
