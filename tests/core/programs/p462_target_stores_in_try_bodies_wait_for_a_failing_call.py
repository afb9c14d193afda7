"""Inside a ``try`` body, a store through a ``for``, comprehension, ``with ... as`` or
annotated assignment target that is not a plain name comes after a call that fails: plain
Python never made the store, so the handler and the code after it must not see it."""
from _tools import fail, llm


class State:
    pass


class Manager:
    def __enter__(self) -> int:
        return 42

    def __exit__(self, *exc: object) -> bool:
        return False


state = State()
found: dict[str, object] = {}

try:
    answer = fail("for")
    for state.value in [1, 2]:
        pass
except ValueError as e:
    print("caught", e, getattr(state, "value", None))
try:
    answer = fail("comprehension")
    squares = [found["k"] for found["k"] in [3, 4]]
except ValueError as e:
    print("caught", e, found)
try:
    answer = fail("with")
    with Manager() as found["managed"]:
        pass
except ValueError as e:
    print("caught", e, found)
try:
    answer = fail("annotated")
    found["annotated"]: int = 5
except ValueError as e:
    print("caught", e, found)


def collect(words: list[str]) -> dict[str, object]:
    kept: dict[str, object] = {}
    try:
        first = fail(words[0])
        for kept["last"] in words:
            pass
        kept["first"] = first
    except ValueError as e:
        kept["error"] = str(e)
    return kept


print(collect(["a", "b"]))
print(llm("after"), getattr(state, "value", None), found)
