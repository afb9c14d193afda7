from _tools import llm, square

answers = [llm(f"q{i}") for i in range(6)]
print(answers)
evens = [square(i) for i in range(8) if i % 2 == 0]
print(evens)
matrix = [[square(i + j) for j in range(3)] for i in range(2)]
print(matrix)
print([a.upper() for a in answers[:2]])
