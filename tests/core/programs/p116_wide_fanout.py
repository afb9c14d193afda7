from _tools import llm, score

answers = [llm(f"item {i}") for i in range(60)]
scores = [score(a) for a in answers]
best = max(range(60), key=lambda i: scores[i])
print(len(answers), sum(scores), best, answers[best])
print(sorted(scores)[:5])
