"""Compiled in stages: module-level ``try`` statements turned into branches on their call's
outcome, the first call-making statement of a stage among them (the stage is cut after the
whole group: the body's mark, the body and the branch), one in the arm of an ``if`` and loops
of them in later stages, one with two clauses; names, output and the caught exceptions are
plain Python's."""
import time

import opportune
from _tools import square


@opportune.external
def ask(q: str) -> str:
    time.sleep(0.02)
    if q.startswith("bad"):
        raise ValueError(f"cannot answer {q}")
    return q.upper()


try:
    first = ask("bad0")
except ValueError as e:
    first = f"error: {e}"
print("first", first)
values = []
for i in range(3):
    values.append(i * 2)
print("values", values)
total = 0
for v in values:
    total += v
print("total", total)
label = "x" * total
print("label", label)
answers = []
for q in ["a", "bad1", "b", "c"]:
    try:
        answers.append(ask(q))
    except ValueError:
        answers.append("fallback")
print("answers", answers)
if len(answers) > 2:
    try:
        picked = ask("bad2")
    except ValueError as e:
        picked = str(e)
    print("picked", picked)
    extra = square(4)
    print("extra", extra)
    more = [square(v) for v in values]
    print("more", more)
    note = "note"
    print("note", note)
    counted = len(more) + extra
    print("counted", counted)
    text = "-".join(str(m) for m in more)
    print("text", text)
else:
    picked = None
tally = {}
for q in ["d", "bad3", "e"]:
    try:
        tally[q] = ask(q)
    except ValueError:
        tally[q] = None
print("tally", tally)
squares = [square(v) for v in range(3)]
print("squares", squares)
late = []
for q in ["bad4", "f"]:
    try:
        late.append(ask(q))
    except ValueError as err:
        late.append(f"late: {err}")
print("late", late)
clauses = []
for q in ["g", "bad5", "h"]:
    try:
        clauses.append(ask(q))
    except KeyError:
        clauses.append("key")
    except ValueError as err:
        clauses.append(f"clause: {err}")
print("clauses", clauses)
print("seen", [n for n in dir() if n.startswith("__opp")])
