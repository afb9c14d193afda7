from _tools import llm

print(llm("x"))
print(1 / 0)
