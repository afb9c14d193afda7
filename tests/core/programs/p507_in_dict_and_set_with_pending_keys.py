"""A pending answer looked up in a dict and a set, which the program changes afterwards."""
import time

import opportune


@opportune.external
def classify(q):
    time.sleep(0.02)
    return ("spam", "ham", "eggs")[q % 3]


def main():
    counts = {"spam": 0}
    known = {"ham"}
    log = []
    for q in range(6):
        c = classify(q)
        log.append((c in counts, c not in known))
        counts[c] = counts.get(c, 0) + 1
        known.add(c)
    print(log)
    print(sorted(counts.items()), sorted(known))
    table = {classify(q): q for q in range(3)}
    print([classify(q) in table for q in range(4, 7)])


main()
