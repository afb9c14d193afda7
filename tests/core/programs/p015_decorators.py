from _tools import llm

calls = []


def logged(fn):
    def inner(*args, **kwargs):
        calls.append(fn.__name__)
        return fn(*args, **kwargs)
    return inner


def repeat(n):
    def deco(fn):
        def inner(x):
            return [fn(f"{x}-{i}") for i in range(n)]
        return inner
    return deco


@logged
def ask(q):
    return llm(q)


@repeat(3)
def ask3(q):
    return llm(q)


print(ask("one"))
print(ask3("two"))
print(calls, ask.__name__)
