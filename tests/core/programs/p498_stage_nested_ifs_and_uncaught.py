"""Compiled in stages: cuts at several levels of nested module-level ifs; a call failing in an
inner arm's later stage ends the program with its traceback, after the output before it."""
from _tools import add, fail, llm, slow

a = slow(1)
if a == 1:
    b = add(a, 1)
    print("b", b)
    if b == 2:
        c = llm("c")
        print("c", c.startswith("ans"))
        items = []
        for i in range(3):
            items.append(i)
        print("items", items)
        d = add(b, 3)
        print("d", d)
        e = [x + d for x in items]
        print("e", e)
        f = sum(e)
        print("f", f)
        g = add(f, 1)
        print("g", g)
        h = fail("inner")
        print("h", h)
        print("never")
    else:
        print("other inner")
    print("after inner")
else:
    print("other outer")
print("never either")
