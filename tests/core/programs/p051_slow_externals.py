from _tools import slow, llm

values = [slow(i) for i in range(4)]
quick = llm("quick")
print(quick)
print(values)
print(slow(slow(1)))
