"""Failures of calls collected into an ExceptionGroup that nothing catches: Python's report
ends with the group's own frame lines, not with a one-line traceback of the group."""
from _tools import fail_if


def run_all(xs):
    errors = []
    out = []
    for x in xs:
        try:
            out.append(fail_if(x, 3))
        except KeyError as e:
            errors.append(e)
    if errors:
        raise ExceptionGroup("some calls failed", errors)
    return out


try:
    run_all([1, 3])
except* KeyError as eg:
    print("caught", [str(e) for e in eg.exceptions])
print(run_all([1, 2]))
run_all([3, 4])
