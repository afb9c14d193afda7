from _tools import llm

print(", ".join(llm(w) for w in ["x", "y"]))
