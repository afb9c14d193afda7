"""print(b, slow(1)) where b's __str__ raises: plain Python raises at the print. The print
waits for slow(1); writing it raises on the runtime's loop thread, inside the callback that
finishes the values derived from slow(1): the program, waiting for one of them, must meet
the error instead of waiting forever."""
import time

import opportune


class Bad:
    def __str__(self):
        raise ValueError("no str for Bad")


@opportune.external
def make():
    time.sleep(0.02)
    return Bad()


@opportune.external
def slow(x):
    time.sleep(0.15)
    return x


b = make()
s = slow(1)
t1 = s + 1
print("before")
print(b, s)
t2 = s + 2
if t2 > 0:
    print("after", t1, t2)
