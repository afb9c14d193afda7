"""An arm that would fail if it ran (it indexes None) next to a first binding, on a pending
condition: the arm not taken leaves no trace and raises nothing."""
from _tools import score

pairs = None
for word in ["aa", "bbb"]:
    s = score(word)
    if s > 5000:
        first = pairs[0]
    else:
        other = s
print(other)
