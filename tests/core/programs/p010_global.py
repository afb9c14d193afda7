from _tools import score

TOTAL = 0
HISTORY = []


def bump(word):
    global TOTAL
    TOTAL += score(word)
    HISTORY.append(word)


for w in ["one", "two", "three"]:
    bump(w)
print(TOTAL, HISTORY)


def reset():
    global TOTAL
    TOTAL = 0


reset()
bump("four")
print(TOTAL, len(HISTORY))
