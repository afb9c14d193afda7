"""Taking items from an iterator inside a try body after a call that fails: plain Python
stopped at the call and never took them, so the code after the handler finds them there."""
from _tools import fail, square


def numbers():
    for i in range(6):
        yield i


rows = numbers()
try:
    header = fail("header")
    first = next(rows)
    rest = [square(r) for r in rows]
except ValueError:
    print("no header")
print(next(rows))

rows = iter([10, 11, 12, 13])
try:
    for r in rows:
        out = fail(str(r)) if r == 11 else square(r)
except ValueError as e:
    print("stopped at", e)
print(list(rows))
