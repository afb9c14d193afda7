"""A read after a deferred arm that raises: plain Python never makes the read, and the
program meets the arm's failure where plain Python would have."""
from _ledger import ask, balance, summarize, transfer

try:
    # The arm is taken and its write fails: the read after it is never reached.
    moved = transfer("alice", 0) if ask("even") else None
    left = balance("alice")
    print("not reached", moved, left, summarize(str(left)))
except ValueError as exc:
    print("caught:", exc)
print(balance("alice"))

try:
    if ask("abcd"):
        transfer("bob", 0)
    print("bob:", balance("bob"))
except ValueError as exc:
    print("caught again:", exc)

# The arm raises before it writes anything: the early read is kept, and never seen.
names = ["alice"]
try:
    moved = transfer(names[3], 1) if ask("even") else None
    print("not reached either", balance("alice"))
except IndexError as exc:
    print("caught:", type(exc).__name__, exc)

# Uncaught, at the top level: the output after it is never written.
total = transfer("bob", 0) if ask("zz") else 0
print("bob has", balance("bob"), total)
