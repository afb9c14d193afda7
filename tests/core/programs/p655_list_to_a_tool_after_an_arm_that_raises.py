"""The list goes to a tool in every iteration, and an arm raises in the middle: the tool
calls before it see the list as it was then, the one after it is never made, and the error
is the arm's."""
from _tools import describe, score

hits = []
reports = []
for q in range(6):
    s = score(f"x{q}")
    if s % 2 or q == 3:
        hits.append(12 // (q - 3))
    reports.append(describe(hits))
    print("reported", q, reports[-1])
print("never", reports)
