"""An ``if`` on a pending answer whose arms make calls: the code after it need not wait."""
from _tools import fail, get, llm, put, score, send

best = None
for word in ["aa", "bbb", "c"]:
    s = score(word)
    if s > 900:
        best = word

# The arm runs only if no word scored high; the calls after it do not depend on it.
if best is None:
    fallback = None
    for word in ["dd", "eeeee"]:
        s = score(word + "!")
        if fallback is None or s > fallback[0]:
            fallback = (s, word)
    best = fallback[1]
else:
    fallback = None
after = llm("independent")
print(after)
print(best, fallback)

# An arm that writes: a later read of the same resource sees the write.
if score("w") > 0:
    put("k", llm("v"))
print(get("k"))

# An arm that reads a resource written after the if: it reads the old value.
put("r", "old")
if score("x") > 0:
    seen = get("r")
put("r", "new")
print(seen, get("r"))

# An elif chain; the taken arm assigns, the others do not.
n = score("abc")
if n > 1000:
    kind = llm("huge")
elif n > 5:
    kind = llm("big")
else:
    kind = llm("small")
print(kind)

# A name only the untaken arm binds is unbound afterwards, as in plain Python.
if score("q") > 2000:
    rare = llm("rare")
try:
    print(rare)
except NameError as e:
    print("name error:", e)

# A name the arm reads before binding it, unbound at the if: the arm raises NameError.
try:
    if score("z") >= 0:
        total = undefined_before + llm("t")
except NameError as e:
    print("caught:", e)

# A failing call inside the arm fails at the same point in program order.
try:
    if score("f") >= 0:
        broken = fail("inside the arm")
    print("not reached")
except ValueError as e:
    print("arm failed:", e)

# An arm whose only effect is an external write; nothing assigned.
if score("s") >= 0:
    send("hello")
print(llm("after send"))


def pick(words):
    chosen = None
    for w in words:
        if score(w) % 2 == 0:
            chosen = llm(w)
    return chosen


print(pick(["a", "bb", "ccc", "dddd"]))

# Two fallbacks in a row that bind the same name only when taken (neither is).
found = score("m") >= 0
if not found:
    fb = llm("first fallback")
    pick1 = fb
found2 = score("n") >= 0
if not found2:
    fb = llm("second fallback")
    pick2 = fb
print("no fallback taken")

# A write after an if that leaves a name unbound: the write is not held back by it.
if score("v") > 5000:
    unset_by_branch = llm("never")
print(put("after", "unbound"))
