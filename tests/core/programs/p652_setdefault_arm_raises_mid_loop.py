"""A grouping arm raises in the middle of the top-level loop: the groups hold what plain
Python put in them before, and the error is the arm's."""
from _tools import score

groups = {}
try_later = []
for q in range(7):
    s = score(f"r{q}")
    if s % 2 or q == 4:
        groups.setdefault(q % 3, []).append(10 // (q - 4))
        print("grouped", q)
print("never", groups)
