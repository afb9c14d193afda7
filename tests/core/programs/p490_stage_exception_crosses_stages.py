"""Compiled in stages (with the compile cache off): a call's failure issued in the first stage
is met in a later one, a failure in a later stage is caught by a handler there, and the last
one ends the program with its traceback."""
from _tools import fail, llm

first = llm("start")
pending_failure = fail("early")
notes = []
for i in range(3):
    notes.append(f"note {i}")
text = " | ".join(notes)
print("text", text)
counts = {}
for word in text.split():
    counts[word] = counts.get(word, 0) + 1
print("counts", sorted(counts.items()))
squares = [i * i for i in range(6)]
print("squares", squares)
label = "first ok" if first.startswith("ans") else "first odd"
print(label)
total = 0
for s in squares:
    total += s
print("total", total)
joined = "-".join(str(s) for s in squares)
print("joined", joined)
try:
    print("pending", pending_failure)
except ValueError as e:
    print("caught early", e)
second = llm("again")
more = []
for k in range(4):
    more.append(k * 3)
print("more", more, second.startswith("ans"))
extra = sum(more) + total
print("extra", extra)
shout = second.upper()[:3]
print("shout", shout)
tail_value = fail("late")
print("never printed", tail_value)
print("not reached either")
