"""A call fails before a ``try``/``finally`` is reached, and the failure is met inside its body
(a ``yield`` there settles the calls before it): plain Python never entered the statement, so
its ``finally`` does not run."""
from _tools import fail_if


def rows():
    for i in range(3):
        row = fail_if(i, 1)
        try:
            yield row
        finally:
            print("released", i)


try:
    for r in rows():
        print("row", r)
except KeyError as e:
    print("caught", e)
