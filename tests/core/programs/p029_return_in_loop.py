from _tools import score, llm


def first_high(words, threshold):
    for w in words:
        s = score(w)
        if s > threshold:
            return w, s
    return None


def nested(limit):
    for i in range(3):
        for j in range(3):
            if score(f"{i}{j}") > limit:
                return i, j, llm(f"{i}{j}")
    return "none"


print(first_high(["apple", "kiwi", "plum", "lime"], 500))
print(first_high(["apple"], 2000))
print(nested(700))
