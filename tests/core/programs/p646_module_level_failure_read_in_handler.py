"""A top-level arm fails; the failure is met at the next read of the list, which stands in a
try: plain Python raised it before that try, so the handler does not catch it."""
from _tools import score

counts = {}
for q in range(5):
    s = score(f"h{q}")
    if s % 2 == 0:
        counts[q] = 10 // (q - 3)
try:
    print("counts", counts)
except ZeroDivisionError:
    print("handled here: wrong")
