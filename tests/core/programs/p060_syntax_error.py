from _tools import llm

print("never runs")
x = (1,
print(llm(x)
