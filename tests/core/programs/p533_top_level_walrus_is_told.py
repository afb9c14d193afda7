"""A function running concurrently reaches a static method that reads module-level names;
the top level then rebinds them with ``:=``, in an ``if`` and in a comprehension (which binds
in the module): plain Python ran the call first, so it sees the old values."""
from _tools import score

TAG = "t0"
PICK = "p0"


class Config:
    @staticmethod
    def value() -> str:
        return f"{TAG}{PICK}"


def count(words: list[str]) -> str:
    n = 0
    for w in words:
        if score(w) >= 0:
            n += 1
    return f"{n} {Config.value()}"


before = count(["x", "y"])
if (TAG := "t1"):
    pass
picked = [PICK for w in ["u", "v"] if (PICK := w)]
print(before)
print(picked, TAG, PICK)
