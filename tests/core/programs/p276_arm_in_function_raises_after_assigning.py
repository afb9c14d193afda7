"""Inside a `try` of a function, an `if` with calls assigns names and then raises:
the handler and the code after it see the names assigned before the error, as in plain
Python, and those not yet assigned keep their old values."""
from _tools import llm, score


def branch(x):
    a, b = "old a", "old b"
    try:
        if x > 1:
            a = llm("one")
            b = 1 / 0
    except ZeroDivisionError:
        pass
    return a, b


def pending_condition(word):
    got = "none"
    try:
        if score(word) >= 0:
            got = llm(word)
            raise KeyError(word)
    except KeyError:
        return "caught", got
    return got


print(branch(3), branch(0))
print(pending_condition("w"))
print("end")
