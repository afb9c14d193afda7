from _tools import score, llm

words = ["delta", "alpha", "charlie", "bravo"]
print(sorted(words, key=score))
print(sorted(words, key=lambda w: score(w) % 10))
print(max(words, key=lambda w: len(llm(w))))
print(list(filter(lambda w: score(w) > 400, words)))
