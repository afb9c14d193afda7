"""A name bound for the first time inside a branch on a pending answer."""
from _tools import score

best = -1
for word in ["aa", "bbb", "c", "dddd"]:
    s = score(word)
    if s > best:
        best = s
        better = word
print(best, better)


def first_long(words):
    for w in words:
        if score(w) > 900:
            found = w
    return found


try:
    print(first_long(["x", "y"]))
except UnboundLocalError as e:
    print("unbound:", e)
if score("q") > 2000:
    never = 1
try:
    print(never)
except NameError as e:
    print("name error:", e)
if score("r") > 2000:
    unused = 1
print("done")


def last_big(words):
    for w in words:
        if score(w) > 500:
            big = w
    return big


print(last_big(["bb", "eeeee", "ccc", "bb", "eeeee"]))
try:
    print(last_big(["bb", "eeeee"]))
except UnboundLocalError:
    print("none big")
