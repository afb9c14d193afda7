"""Suppressing with bodies inside loops, with break and continue: each iteration's failure
puts back only that iteration's names; a break or continue after the failing call never
happens, as in plain Python; a generator that yields inside such a body meets the failure there,
not in its consumer."""
from contextlib import suppress

from _tools import fail_if, llm


def loop_continue(items, bad):
    got = []
    value = None
    for x in items:
        with suppress(KeyError):
            value = fail_if(x, bad)
            if value > 0:
                got.append(value)
                continue
        got.append(("after with", x, value))
    return got, value


def loop_break(items, bad):
    value = "none"
    steps = 0
    while steps < len(items):
        with suppress(KeyError):
            value = fail_if(items[steps], bad)
            steps += 1
            if items[steps - 1] == bad:
                break
            continue
        value = ("suppressed at", steps, value)
        break
    return steps, value


def try_finally_in_loop(items, bad):
    log = []
    for x in items:
        cur = "cur0"
        try:
            try:
                cur = fail_if(x, bad)
                if cur:
                    continue
            finally:
                log.append((x, cur))
        except KeyError:
            log.append(("caught", x, cur))
    return log


def gen(items):
    for i in items:
        v = "v0"
        with suppress(KeyError):
            v = fail_if(i, 2)
            yield ("in", v)
        yield ("after", v)


def gen_try(items):
    for i in items:
        try:
            v = fail_if(i, 2)
            yield v
        except KeyError as e:
            yield ("handled", str(e))


print(list(gen([1, 2, 3])))
print(list(gen_try([1, 2, 3])))
print(loop_continue([1, 2, 3], 2))
print(loop_break([1, 2, 3], 2))
print(try_finally_in_loop([1, 2, 3], 2))
print("end")
