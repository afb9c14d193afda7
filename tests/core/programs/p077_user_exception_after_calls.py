from _tools import score


def validate(word):
    s = score(word)
    if s > 900:
        raise ValueError(f"score of {word!r} too high: {s}")
    return s


total = 0
for w in ["b", "c", "d", "a", "e", "f"]:
    total += validate(w)
    print("ok", w, total)
print("end")
