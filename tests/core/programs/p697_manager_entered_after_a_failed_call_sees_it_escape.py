"""A call fails before a ``with`` of the program's own manager is reached, and the failure is
met inside its body: plain Python never entered the statement, so the manager's ``__exit__``
never ran and could not swallow the error; under opportune it is called with the failure on
its way out (a known difference: the corpus marks it as expected to fail)."""
from _tools import fail_if


class Quiet:
    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if kind is not None:
            print("swallowed", kind.__name__)
        return True


def fetch():
    row = fail_if(1, 1)
    with Quiet():
        rows = [row]
        rows.append(0)
    return "after"


try:
    print(fetch())
except KeyError as e:
    print("caught", e)
