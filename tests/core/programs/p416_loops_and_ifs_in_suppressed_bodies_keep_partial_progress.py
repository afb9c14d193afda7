"""Loops, while loops and ifs that bind names inside a suppressing with body or a try/finally
body run as written: the names they bound before the failing call stay, those after it are put
back, as in plain Python (a deferred statement would bind them all at once, after the call)."""
from contextlib import suppress
from _tools import fail_if, llm, score


def loop_in_with(items, bad):
    total = 0
    done = []
    with suppress(KeyError):
        for x in items:
            v = fail_if(x, bad)
            total += v
            done.append(x)
    return total, done


def if_in_with(x, bad):
    tag = "t0"
    with suppress(KeyError):
        r = llm("a")
        if score(r) > 0:
            tag = "big"
            tag = tag + str(fail_if(x, bad))
        else:
            tag = "small"
    return tag


def loop_in_finally_body(items, bad):
    total = 0
    try:
        for x in items:
            total += fail_if(x, bad)
    finally:
        print("fin", total)


def while_in_with(bad):
    i = 0
    acc = 0
    with suppress(KeyError):
        while i < 5:
            acc += fail_if(i, bad)
            i += 1
    return i, acc


print(loop_in_with([1, 2, 3, 4], 3))
print(if_in_with(1, 1))
try:
    loop_in_finally_body([1, 2, 3], 2)
except KeyError as e:
    print("caught", e)
print(while_in_with(2))
n = 0
s = 0
with suppress(KeyError):
    for x in [5, 6, 7]:
        s += fail_if(x, 6)
        n += 1
print("module", n, s)
print("end")
