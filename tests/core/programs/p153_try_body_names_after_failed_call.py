"""Names a try body rebinds after a call that fails keep the values they had at the call."""
from _tools import fail, llm

b = None
n = 0
try:
    a = fail("first")
    b = llm("second")
    n += 1
except ValueError as e:
    print("caught", e, b, n)
print(b, n)


def f():
    c = "old"
    try:
        a = fail("inner")
        c = "new"
        for i in range(3):
            c = c + str(i)
    except ValueError:
        pass
    return c, "i" in locals()


print(f())


def g():
    seen = []
    for i in range(4):
        try:
            r = llm(f"ok {i}") if i != 2 else fail(f"bad {i}")
            last = i
        except ValueError as e:
            seen.append(str(e))
    return seen, last


print(g())
