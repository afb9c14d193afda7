"""Deferred ``if`` arms, at the top level and in a function, call a static method that reads
a module-level name; the program then rebinds that name: at the top level, through a
function's ``global`` line, through another deferred statement's assignment and through an
``import ... as``. Each arm sees the value plain Python's did when it ran the arm."""
from _tools import llm, score

LIMIT = 1
MODE = "plain"


class Config:
    @staticmethod
    def limit() -> str:
        return f"{LIMIT}/{MODE}"


k = score("k")
label = "none"
if k > 10:
    label = llm(f"top {Config.limit()}")
LIMIT = 2


def run() -> str:
    global LIMIT
    found = "none"
    if score("k2") > 10:
        found = llm(f"run {Config.limit()}")
    LIMIT = 3
    return found


inner = run()
other = "none"
if score("k3") > 10:
    other = llm(f"other {Config.limit()}")
if score("k4") > 10:
    MODE = llm("mode")
last = "none"
if score("k5") > 10:
    last = llm(f"last {Config.limit()}")
from string import digits as MODE  # noqa: E402
print(label)
print(inner)
print(other)
print(last, LIMIT, MODE)
