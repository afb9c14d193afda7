from _tools import slow_fail, llm

x = slow_fail("outside")  # fails late; plain Python raises here, before the try
try:
    y = llm("inside")
    print(x, y)
except RuntimeError as e:
    print("wrongly caught:", e)
print("after")
