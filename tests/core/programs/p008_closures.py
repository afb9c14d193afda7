from _tools import llm


def make_asker(style):
    def ask(q):
        return llm(f"[{style}] {q}")
    return ask


formal = make_asker("formal")
casual = make_asker("casual")
results = [formal("hello"), casual("hello"), formal("bye")]
for r in results:
    print(r)
adders = [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in adders])
late = [lambda x: x + i for i in range(3)]
print([f(10) for f in late])
