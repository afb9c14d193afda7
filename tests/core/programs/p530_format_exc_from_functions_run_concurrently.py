"""Functions opportune runs concurrently (a user function that calls externals, called in a
loop and in a comprehension): a failure raised in one, and a failed call made in one, formatted
by the program, show the frames plain Python shows."""
import traceback
from _tools import llm, score, fail


def work(i):
    a = llm(f"q{i}")
    n = score(a)
    if i == 2:
        raise ValueError(f"bad {i} {n > -1}")
    return len(a)


def work2(i):
    a = llm(f"q{i}")
    if i == 1:
        a = fail(a)
    return len(a)


out = []
for i in range(4):
    try:
        out.append(work(i))
    except ValueError:
        print(traceback.format_exc())
print(out)
try:
    vals = [work(i) for i in range(4)]
except ValueError:
    print(traceback.format_exc())
try:
    vals = [work2(i) for i in range(4)]
except ValueError:
    print(traceback.format_exc())
