"""An if-converted arm builds a list whose item fails once its pending input exists
(`[10 / (r - r)]`): plain Python raised ZeroDivisionError in the arm, before the print."""
from _tools import describe, score

r = score("a") % 2
if r >= 0:
    xs = [1, 10 / (r - r)]
else:
    xs = []
print("before")
print(describe(xs))
print("never")
