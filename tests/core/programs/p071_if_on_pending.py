from _tools import score, llm

s = score("decide")
if s > 500:
    print("high", llm("high path"))
else:
    print("low", llm("low path"))
v = llm("cond")
print("yes" if "cond" in v else "no")
x = score("a") and score("b")
y = score("zz") or 0
print(x, y, not score("c"))
