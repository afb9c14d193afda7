"""A read after a deferred arm that may write what it reads: the arm does not write, so the
read (made before the arm decided) is kept, and everything built from it is what plain Python
computes."""
from _ledger import add_note, ask, balance, balances, notes, summarize, transfer

# "odd" has an odd length: the arm is not taken and nothing is written.
moved = transfer("alice", -30) if ask("odd") else None
left = balance("alice")
print(moved, left, summarize(f"alice has {left}"))

# An if statement whose arm writes another resource, then one that writes this one.
if ask("odd"):
    add_note("paid")
if ask("abc"):
    transfer("bob", 5)
everyone = balances()
print(everyone, len(everyone), summarize(str(everyone)))
print(notes())

# Two arms before the read, neither taken; the read feeds a decision.
a = transfer("bob", 1) if ask("x") else 0
b = transfer("bob", 2) if ask("yyy") else 0
if balance("bob") > 10:
    print("bob is fine", a, b)
else:
    print("bob is low", a, b)
