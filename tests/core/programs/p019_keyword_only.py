from _tools import llm


def ask(q, *, model="small", retries=1):
    return [llm(f"{model}/{q}/{i}") for i in range(retries)]


print(ask("x"))
print(ask("y", model="big", retries=2))
try:
    ask("z", "big")
except TypeError as e:
    print("TypeError:", e)


def pos_only(a, b, /, c):
    return llm(f"{a}{b}{c}")


print(pos_only(1, 2, c=3))
