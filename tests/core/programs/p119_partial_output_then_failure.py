from _tools import llm, fail_if

print("header")
for i in range(5):
    a = llm(f"line {i}")
    print(i, a)
    if i == 2:
        fail_if(i, 2)
print("not reached")
