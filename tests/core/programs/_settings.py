"""A settings module of the corpus: module state that a function of its own rebinds (p306)."""

MODE = "slow"
RUNS = 0


def configure(mode):
    global MODE, RUNS
    MODE = mode
    RUNS += 1
