"""A fresh list each round, filled by arms while the next round starts."""
from _tools import score


def main():
    rounds = []
    for r in range(3):
        picked = []
        for q in range(4):
            if score(f"{r}-{q}") % 2 == 0:
                picked.append(q)
        rounds.append(picked)
        print("round", r, picked)
    print(rounds)


main()
