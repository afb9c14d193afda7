from _tools import llm, search

docs = search("topic", k=3)
for i, d in enumerate(docs, start=1):
    print(i, d)
sums = [llm(d) for d in docs]
for d, s in zip(docs, sums):
    print(d, "->", s)
print(list(zip(*[(1, llm("a")), (2, llm("b"))])))
print(list(enumerate(search("other", k=2))))
