"""A top-level arm raises in the middle of the loop: what was printed before stays, nothing
after it is printed, and the error is the arm's."""
from _tools import score

hits = []
for q in range(8):
    s = score(f"q{q}")
    print("asked", q)
    if s % 2 == 0 or q == 5:
        hits.append(100 // (q - 5))
        print("kept", q)
print("never", hits)
