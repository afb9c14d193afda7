"""Retries with tenacity around a flaky external."""
import time

import tenacity

import opportune

ATTEMPTS = {}


class Flaky(Exception):
    pass


@opportune.external
def flaky(q: str) -> str:
    time.sleep(0.01)
    n = ATTEMPTS.get(q, 0) + 1
    ATTEMPTS[q] = n
    if n < 3:
        raise Flaky(f"{q} failed attempt {n}")
    return f"ok {q} after {n}"


@tenacity.retry(stop=tenacity.stop_after_attempt(4), wait=tenacity.wait_fixed(0),
                retry=tenacity.retry_if_exception_type(Flaky), reraise=True)
def robust(q: str) -> str:
    return flaky(q)


print(robust("a"))
print(robust("b"))
print(sorted(ATTEMPTS.items()))


@tenacity.retry(stop=tenacity.stop_after_attempt(2), wait=tenacity.wait_fixed(0))
def hopeless(q):
    return flaky(q + "!")


try:
    hopeless("z")
except tenacity.RetryError as e:
    print("retry error", type(e.last_attempt.exception()).__name__, e.last_attempt.exception())

for attempt in tenacity.Retrying(stop=tenacity.stop_after_attempt(5), reraise=True):
    with attempt:
        r = flaky("c")
print(r, attempt.retry_state.attempt_number)
