from _tools import nothing, llm

r = nothing(1)
print(r is None)
a = llm("x")
print(a is not None)
