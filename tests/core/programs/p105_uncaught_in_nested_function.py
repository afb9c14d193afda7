from _tools import llm, fail


def inner(x):
    print("inner start", x)
    return fail(x)


def outer():
    a = llm("outer")
    print("outer", a)
    return inner("boom") + a


print("begin")
print(outer())
print("not reached")
