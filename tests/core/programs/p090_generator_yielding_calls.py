from _tools import llm, score


def stream(prompts):
    for p in prompts:
        a = llm(p)
        print("yielding", p)
        yield a


g = stream(["a", "b", "c"])
print("created")
for a in g:
    print("got", a)
    if score(a) > 900:
        break
firsts = [next(stream([w])) for w in ["x", "y"]]
print(firsts)
