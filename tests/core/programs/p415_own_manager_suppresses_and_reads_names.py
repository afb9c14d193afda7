"""A manager of the program's own that suppresses the failure, with as-targets and a manager
that suppresses only some failures; the code after the with reads the names, and a manager
that does not suppress lets the caller's handler see them."""
from _tools import fail, llm


class Swallow:
    def __init__(self, kinds):
        self.kinds = kinds
        self.seen = None

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        self.seen = kind.__name__ if kind else None
        return kind is not None and issubclass(kind, self.kinds)


def swallowed():
    answer = "none"
    with Swallow(ValueError) as guard:
        answer = llm("q")
        answer = fail(answer)
    return guard.seen, answer.startswith("ans")


def not_swallowed():
    answer = "none"
    try:
        with Swallow(KeyError) as guard:
            answer = fail("q")
    except ValueError as e:
        return "caught", str(e), answer, guard.seen
    return "not caught"


def as_target_rebound():
    guard = "g0"
    with Swallow(ValueError) as guard:
        fail("x")
    return type(guard).__name__


print(swallowed())
print(not_swallowed())
print(as_target_rebound())
print("end")
