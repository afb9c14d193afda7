"""opportune.run of a functools.wraps-decorated function runs the wrapper; of a parallel
function, the function (plain Python too runs opportune.run, so both sides check it)."""
import functools
import time

import opportune


@opportune.external
def tool(x: str) -> str:
    time.sleep(0.01)
    return x.upper()


def announce(f):
    @functools.wraps(f)
    def inner(*args):
        print("calling", f.__name__, args)
        return f(*args)
    return inner


@announce
def job(x):
    a = tool(x)
    b = tool(x + "!")
    return a + b


@opportune.parallel
def worker(name: str) -> str:
    return tool(name) + job(name)


print(opportune.run(job, "a"))
print(opportune.run(worker, "b"))
print(worker("c"))
