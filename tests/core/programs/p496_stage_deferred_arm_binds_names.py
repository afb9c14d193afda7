"""Compiled in stages: the cut falls in the arms of an if on a pending condition whose arms may
run later (no output of their own); what the taken arm binds after the cut is read after the if,
and a failure in an arm's later stage is met where plain Python meets it."""
from _tools import add, fail, llm, score, slow

flag = slow(1)
if flag >= 1:
    x = add(flag, 1)
    y = add(x, 2)
    seq = []
    for i in range(3):
        seq = seq + [i * x]
    z = sum(seq) + y
    words = llm("w" + str(z))
    w = len(words)
    s = score(words)
    v = add(s, z)
    pairs = [(i, i * v) for i in range(3)]
    first_pair = pairs[0]
    tag = "big" if v > 0 else "odd"
    again = add(v, w)
    marks = "".join("*" for _ in range(3))
    kind = tag + marks
    last = add(again, 1)
else:
    x = -1
    tag = "small"
    kind = "none"
print("after", tag, x, kind, last > 0)
print("z", z, y, first_pair)
other = slow(2)
if other > 50:
    bad = 0
else:
    start = add(other, 1)
    step = add(start, 1)
    acc = [start, step]
    acc = acc + [step * 2]
    total = sum(acc)
    half = total // 2
    both = (half, total)
    text = str(both)
    size = len(text)
    more = add(size, 1)
    bad = fail("in the arm " + str(more))
    bad = "never"
print("not reached", bad)
