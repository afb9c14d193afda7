from _tools import slow_fail, llm, slow

print("start")
a = slow(1)
b = slow_fail("late")  # plain Python raises here, so nothing below may ever be printed
print("after the failing call: never printed")
c = llm("not issued in plain Python")
print(c, a)
for i in range(3):
    print("loop", i)
