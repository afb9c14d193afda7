from _tools import score

s = score("assert me")
assert s >= 0, "negative"
print("first assert ok", s)
assert s < 100, f"score {s} not below 100"
print("never")
