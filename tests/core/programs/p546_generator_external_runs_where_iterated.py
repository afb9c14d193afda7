"""A generator external: calling it makes the generator, whose body (which prints) runs where
the program iterates it: next(), list(), sum(), sorted(), zip() over the call, in program
order with the other tools' output."""
import time

import opportune


@opportune.external
def slow(i: int) -> int:
    time.sleep(0.02)
    print("slow", i)
    return i


@opportune.external
def stream(n: int):
    for i in range(n):
        print("stream yields", i)
        yield i


print("x", slow(1))
print(list(stream(2)))
s = slow(2)
print(sum(stream(slow(3))), s)
print(sorted(stream(3), reverse=True))
t = slow(4)
print(max(stream(2)), t)
z = zip(stream(2), "ab")
print(dict(enumerate(stream(2))))
print(list(z))
g = stream(2)
c = slow(5)
print(next(g), c, next(g))
print(next(stream(0), "empty"))
