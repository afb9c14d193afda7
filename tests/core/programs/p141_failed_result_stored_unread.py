from _tools import fail, llm

results = []
results.append(llm("fine"))
results.append(fail("stored but never read"))
print("after the failing call")
