"""A function returns a name that the branch taken on a pending value left unbound (an arm
with a call, deferred; a call-free arm, if-converted): plain Python raises UnboundLocalError at
the return, inside the function's `try`, and the handler runs there."""
from _tools import llm, score


def deferred(word):
    if score(word) > 10_000:
        value = llm(word)
    try:
        return value
    except NameError as error:
        return type(error).__name__


def converted(word):
    r = score(word)
    if r > 10_000:
        value = r
    try:
        return value
    except NameError as error:
        return "converted " + type(error).__name__


def taken(word):
    r = score(word)
    if r >= 0:
        value = r % 7
    try:
        return value
    except NameError:
        return "never"


def loop(words):
    for w in words:
        if score(w) > 10_000:
            last = w
    return last


print(deferred("a"), converted("b"), taken("c"))
try:
    print(loop(["x", "y"]))
except UnboundLocalError as error:
    print("loop:", type(error).__name__)
print("end")
