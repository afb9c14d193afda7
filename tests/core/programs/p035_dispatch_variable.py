from _tools import llm, score, square


def local_upper(x):
    return str(x).upper()


chosen = llm if len("abc") == 3 else local_upper
print(chosen("via variable"))
fns = [local_upper, llm, score, square]
for i, f in enumerate(fns):
    arg = i if f is square else f"arg{i}"
    print(f.__name__, f(arg))
llm, local_upper = local_upper, llm
print(llm("swapped"), local_upper("swapped"))
