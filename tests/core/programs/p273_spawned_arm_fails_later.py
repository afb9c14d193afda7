"""An if-converted arm inside a function of the program's (run on its own thread) fails once
its pending input exists: the failure surfaces, with its output in order, as plain Python's."""
from _tools import describe, score


def ratio(words):
    total = 0
    for w in words:
        r = score(w) % 3
        if r >= 0:
            total = total + 10 // (r - r)
    return total


print("start")
print(describe(ratio(["x", "y"])))
print("never")
