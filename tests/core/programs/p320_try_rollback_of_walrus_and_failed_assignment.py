"""A try body binds names after a call that fails (or from the failing call itself), also by
`:=` in an expression, an if or while test, and a comprehension (which binds in the
enclosing scope). Plain Python stops at the failing call: the handler, and the code
after the try, see every name as it was then."""
from _tools import fail, fail_if, llm

n = 0
x = 0
try:
    r = fail("a")
    x = 1
    n += 1
    y = (z := 5)
except ValueError:
    print("module", x, n, "y" in globals(), "z" in globals())

value = "default"
try:
    value = fail("b")
except ValueError:
    pass
print("assigned from the failing call", value)

try:
    first = llm("q")
    first = fail("c")
except ValueError:
    pass
print("rebound by the failing call", first)


def tests(words):
    w = "old"
    count = 0
    try:
        if (w := llm(words[0])):
            count += 1
        fail(w)
        while (count := count + 1) < 3:
            pass
    except ValueError:
        return w, count
    return "done", w, count


print("tests", tests(["a"]))


def comprehension(items):
    q = -1
    kept = "none"
    try:
        vals = [(q := fail_if(i, 2)) for i in items]
        kept = (last := vals[-1])
    except KeyError as e:
        return "caught", str(e), q, kept, "last" in locals(), "vals" in locals()
    return "done", q, kept, last


print("comprehension", comprehension([0, 1, 2, 3]))
print("comprehension", comprehension([0, 1]))


def loop(limit):
    seen = []
    try:
        i = 0
        while (i := i + 1) <= limit:
            seen.append(fail_if(i, 3))
    except KeyError:
        return "stopped at", i, seen
    return "finished", i, seen


print("loop", loop(5))
print("loop", loop(2))
print("end")
