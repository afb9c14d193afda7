"""An arm's failure propagates out of the function and is caught by its caller; what the
function printed before stays, what follows it never happens, the caller goes on."""
from _tools import score


def collect(bad):
    hits = {}
    for q in range(6):
        s = score(f"c{q}")
        if s >= 0:
            hits[q] = {"q": q}["q"] + 1000 // (q - bad)
            print("stored", q)
        print("after", q)
    return hits


try:
    print(collect(10))
    print(collect(3))
except ZeroDivisionError as e:
    print("caught", type(e).__name__, e)
print("done")


def met_inside_a_try():
    hits = []
    for q in range(5):
        if score(f"t{q}") >= 0:
            hits.append(10 // (q - 2))
    try:
        print(hits)
    except ZeroDivisionError:
        print("caught inside, which plain Python never does")


try:
    met_inside_a_try()
except ZeroDivisionError as e:
    print("caught outside", e)
