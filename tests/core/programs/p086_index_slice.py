from _tools import search, square, llm

docs = search("q", k=5)
i = square(1)
print(docs[i], docs[-i], docs[i:i + 2], docs[::2])
table = {square(2): "four", square(3): "nine"}
print(table[4], table.get(9), sorted(table))
text = llm("slice me")
print(text[square(1):square(2)], text[-3:])
grid = [[square(r * 3 + c) for c in range(3)] for r in range(2)]
print(grid[square(1)][square(1) + 1])
