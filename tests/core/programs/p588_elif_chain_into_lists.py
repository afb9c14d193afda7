"""An elif chain: each arm feeds its own list, one prints, one also counts in a dict."""
from _tools import score


def main():
    yes, no, maybe = [], [], []
    counts = {}
    for q in range(9):
        s = score(f"e{q}") % 3
        if s == 0:
            yes.append(q)
        elif s == 1:
            no.append(q)
            counts["no"] = counts.get("no", 0) + 1
        elif q > 4:
            maybe.append(q)
            print("maybe", q)
        else:
            print("skipped", q)
    print(yes, no, maybe, counts)


main()
