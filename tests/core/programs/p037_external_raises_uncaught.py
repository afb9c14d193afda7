from _tools import llm, fail

print("before")
a = llm("first")
b = fail("fatal")
print("never printed", b)
c = llm("never issued")
print(c)
