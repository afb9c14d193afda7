from _tools import llm, square

x = square(4)
print(eval("x + 1"), globals()["x"])


def f(a):
    b = llm(a)
    names = sorted(locals())
    return names, vars()["b"]


print(f("loc"))
exec("y = x * 2")
print(y)  # noqa: F821
print("x" in dir())
