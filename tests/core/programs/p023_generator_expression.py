from _tools import square, llm

total = sum(square(i) for i in range(6))
print(total)
print(max(square(i) - 10 * i for i in range(6)))
print(", ".join(llm(w) for w in ["x", "y", "z"]))
gen = (square(i) for i in range(3))
print(next(gen))
print(list(gen))
print(any(square(i) > 3 for i in range(4)), all(square(i) >= 0 for i in range(4)))
