"""An if-converted arm whose value fails only once its input exists (10 / 0 on a pending
score): the selection takes the failure, and plain Python raised it at the first iteration."""
from _tools import score

for word in ["b", "c"]:
    r = score(word) % 2
    if r >= 0:
        q = 10 / (r - r)
    else:
        q = 1
    print(word, q)
print("end")
