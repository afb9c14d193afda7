from functools import reduce

from _tools import llm, score, add

chunks = [f"chunk {i}: " + "word " * i for i in range(6)]
summaries = list(map(llm, chunks))
lengths = [score(s) for s in summaries]
total = reduce(add, lengths, 0)
print(summaries)
print(lengths)
print(total, sum(lengths) == total)
final = llm("reduce: " + "; ".join(summaries))
print(final)
