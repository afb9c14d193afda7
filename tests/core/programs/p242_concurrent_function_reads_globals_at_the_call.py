"""A function of the program's own that runs concurrently reads the globals (and closure
variables) as they were at its call, also through the functions it calls, even when the
program rebinds them right after the call; so does a deferred loop's body through a function
it calls."""
from _tools import score, search

LIMIT = 10
PREFIX = "a"


def longer(words: list) -> list:
    return [w for w in words if len(w) > LIMIT]


def tagged(word: str) -> str:
    return PREFIX + word


def count_long(words: list) -> str:
    first = score("wait")  # the function goes on only once this call has answered
    if first >= 0:
        return f"{len(longer(words))} {tagged(words[0])} {LIMIT}"
    return ""


c = count_long(["abcdefghijklmnop", "bb", "ccc"])
LIMIT = 1
PREFIX = "z"
print(c)


def make_counter(threshold: int):
    def count(words: list) -> int:
        first = score("w2")
        if first >= 0:
            return sum(1 for w in words if len(w) > threshold)
        return 0

    counted = count(["abcdef", "b"])
    threshold = 0
    return counted


print(make_counter(3))

hits = search("q", 2)
found = []
for h in hits:
    if score(h) >= 0:
        found = found + [tagged(h)]
PREFIX = "y"
print(found)
