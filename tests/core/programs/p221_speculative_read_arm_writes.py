"""A read after a deferred arm that writes what it reads: the read sees the write, as in
plain Python (its early result is discarded and the read made again after the write)."""
from _ledger import add_note, ask, balance, balances, notes, summarize, transfer

# "even" has an even length: the arm is taken.
moved = transfer("alice", -30) if ask("even") else None
left = balance("alice")
print(moved, left, summarize(f"alice has {left}"))

# One arm not taken, one taken, then the read.
if ask("odd"):
    transfer("bob", 100)
if ask("abcd"):
    transfer("bob", 5)
everyone = balances()
print(everyone, summarize(str(everyone)))

# An arm that writes notes only: the read of notes is made again after it.
if ask("ab"):
    add_note("checked")
print(balance("bob"), notes())

# In a loop: the arm writes on some iterations.
for word in ["aa", "b", "cc", "d"]:
    paid = transfer("carol", len(word)) if ask(word) else 0
    print(word, paid, balance("carol"))
