"""``x += y`` on a pending list changes the list every other name for it sees; on a pending
string or number it makes a new value."""
from _tools import llm, score, search

x = search("q")
y = x
x += ["z"]
print(y, x)
s = llm("a")
t = s
s += "!"
print(t, s)
total = 0
for word in ["a", "bb", "ccc"]:
    total += score(word)
print(total)
