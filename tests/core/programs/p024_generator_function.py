from _tools import llm, square


def numbered(prompts):
    for i, p in enumerate(prompts):
        yield i, llm(p)


def squares_until(limit):
    n = 0
    while True:
        v = square(n)
        if v > limit:
            return
        yield v
        n += 1


for i, ans in numbered(["a", "b", "c"]):
    print(i, ans)
print(list(squares_until(20)))


def delegating():
    yield "start"
    yield from squares_until(5)
    yield "end"


print(list(delegating()))
g = numbered(["only"])
print(next(g))
try:
    next(g)
except StopIteration:
    print("exhausted")
