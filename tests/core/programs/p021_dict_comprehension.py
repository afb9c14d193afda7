from _tools import llm, score

words = ["red", "green", "blue", "cyan"]
by_word = {w: llm(w) for w in words}
print(by_word)
scores = {w: score(a) for w, a in by_word.items() if len(w) > 3}
print(scores)
inverted = {v: k for k, v in scores.items()}
print(sorted(inverted.items()))
