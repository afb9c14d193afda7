from _tools import llm, score, square


def apply_all(fns, value):
    return [fn(value) for fn in fns]


def twice(fn):
    return lambda x: fn(fn(x))


print(apply_all([llm, str.upper, len], "abc"))
quad = twice(square)
print(quad(3))
pipeline = [str.strip, str.lower, llm]
v = "  Hello World "
for step in pipeline:
    v = step(v)
print(v)
print(list(map(score, ["a", "b"])))
