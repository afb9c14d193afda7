from _tools import llm, score

ask = lambda q: llm(q.strip())
rank = lambda xs: sorted(xs, key=lambda x: (score(x), x))
print(ask("  spaced  "))
print(rank(["pear", "apple", "fig"]))
compose = lambda f, g: lambda x: f(g(x))
shout = compose(str.upper, ask)
print(shout("quiet"))
print((lambda *a, **k: (a, sorted(k)))(1, 2, z=3, y=4))
