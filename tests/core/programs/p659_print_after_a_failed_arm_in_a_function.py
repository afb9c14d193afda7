"""A function's deferred arm calls a tool that fails at once, before the function's next
print: nothing after the failing iteration is printed (p168 under load). The print has only
finished values and nothing is running any more, yet the failure the program has not met yet
is ahead of it, so it is queued behind that failure and dropped when the program meets it."""
import time

import opportune


@opportune.external
def score(word):
    time.sleep(0.002)
    return 1000 if word == "a" else 10


@opportune.external
def fail(message):
    raise ValueError(f"tool failed: {message}")


def validate(word):
    s = score(word)
    if s > 900:
        fail(f"score of {word!r} too high")
    return s


def checked(words):
    total = 0
    for w in words:
        total += validate(w)
        print("ok", w, total)
    return total


for k in range(20):
    try:
        checked(["b", "c", "d", "a", "e", "f"])
    except ValueError as e:
        print("caught:", k, e)
print("end")
