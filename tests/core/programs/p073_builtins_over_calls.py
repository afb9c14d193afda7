from _tools import square, score, llm

xs = [square(i) for i in range(5)]
print(sum(xs), max(xs), min(xs), sorted(xs, reverse=True))
print(list(reversed(xs)), set(xs) == {0, 1, 4, 9, 16}, tuple(xs))
words = [llm(w) for w in ["b", "a"]]
print(sorted(words), max(words, key=len), dict(zip(words, xs)))
print(len(words), abs(-score("q")), round(score("q") / 7, 2), divmod(score("q"), 7))
