"""A function running concurrently decides from answers to exit, with a code it computes
from an answer, inside a ``try`` whose ``finally`` prints a pending answer; the output of
the calls before the exit is written first, and the status is the computed code."""
import sys

from _tools import llm, score


def check(words: list[str]) -> int:
    n = 0
    for w in words:
        if score(w) > 2000:
            n += 1
    if n == 0:
        sys.exit(score("code") % 5 + 3)
    return n


results = [llm(f"q{i}") for i in range(3)]
print(results[0])
try:
    check(["x", "y"])
finally:
    print("finally", results[1])
print("never")
