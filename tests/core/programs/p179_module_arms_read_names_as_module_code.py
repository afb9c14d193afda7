"""Deferred module-level arms read their names as module-level code does: a shadowed builtin,
a name bound only in one branch, a name never bound (NameError, caught by the program), and
an arm nested in another that reads the outer arm's loop values."""
from _tools import llm, score, search

len = lambda s: 7  # noqa: A001 - shadows the builtin for the rest of the module
if score("a") > 0:
    first = llm(f"len {len('abc')}")
print(first)

if score("b") < 0:
    only_then = llm("never")
try:
    print(only_then)
except NameError as error:
    print("NameError:", error)

total = 0
for word in search("topic", k=3):
    if score(word) % 2 == 0:
        total = total + score(word + "!")
    else:
        total = total + 1
    last = word
print(total, last)

try:
    if score("c") >= 0:
        got = llm(missing_name)  # noqa: F821 - never bound: NameError in the arm
except NameError as error:
    print("NameError:", error)
print("end")
