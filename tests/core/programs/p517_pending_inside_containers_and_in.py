"""`in` where pending answers sit inside containers: a tuple on the left, a dict whose values
are pending, nested lists, a tuple searched for a pending item."""
import time

import opportune


@opportune.external
def ask(q):
    time.sleep(0.02)
    return f"v{q % 3}"


def main():
    pairs = {("v0", "v1"), ("v2", "v2")}
    print([(ask(q), ask(q + 1)) in pairs for q in range(4)])
    table = {k: ask(i) for i, k in enumerate("abc")}
    print(["a" in table, "z" not in table, ask(5) in table.values()])
    nested = [[ask(0)], [ask(1), ask(2)]]
    print([["v1"] in nested, ["v1", "v2"] in nested])
    choices = (ask(3), "v2", ask(4))
    print([ask(q) in choices for q in range(4)])
    print(sorted(table.items()), choices)


main()
