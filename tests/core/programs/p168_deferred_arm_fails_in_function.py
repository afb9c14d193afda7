"""A call that fails inside a deferred arm of a function called in a loop: nothing printed
after the failing iteration, and a ``try`` around a later call still sees it first."""
from _tools import fail, score


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


try:
    checked(["b", "c", "d", "a", "e", "f"])
except ValueError as e:
    print("caught:", e)
print(checked(["b", "c"]))
total = 0
for w in ["b", "c", "d", "a", "e", "f"]:
    total += validate(w)
    print("ok", w, total)
print("end")
