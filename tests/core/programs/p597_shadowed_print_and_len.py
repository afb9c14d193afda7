"""print and len are the program's own functions here: the arms must not run concurrently
with what those functions do."""
import builtins

from _tools import score

LOG = []


def print(*args):
    LOG.append(args)


def len(x):
    LOG.append(("len", x))
    return 0


def main():
    hits = []
    for q in range(5):
        if score(f"s{q}") % 2:
            hits.append(q)
            print("arm", q, len(hits))
    print(hits)


main()
builtins.print(LOG)
